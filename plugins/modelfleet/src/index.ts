export { modelfleetPlugin as default } from './plugin';
