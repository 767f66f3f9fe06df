export { EntityGpuPoolCard } from './EntityGpuPoolCard';
