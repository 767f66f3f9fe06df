export type { CostOwner } from './NotAllowed';
export { ActionsNotAllowed, CostsNotYours } from './NotAllowed';
export { displayRef, entityRefOf, listOf, ownerRefOf } from './owner';
