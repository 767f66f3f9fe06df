export {
  renderManifestsInputFields,
  renderManifestsInputSchema,
  DEFAULT_BUSINESS_HOURS,
} from './input';
export type {
  RenderManifestsInput,
  ResolvedRenderManifestsInput,
} from './input';
export { renderModelManifests } from './render';
export { modelSizing } from './sizing';
export {
  RUNTIME_IMAGES,
  FETCH_IMAGES,
  MONITORING,
  MODEL_CLIENTS_LABEL,
  HF_TOKEN_SECRET,
} from './constants';
export type { RenderedFile, RenderedModel } from './render';
export {
  validateManifests,
  assertValidManifests,
  formatManifestIssues,
} from './validate';
export type { ManifestIssue } from './validate';
