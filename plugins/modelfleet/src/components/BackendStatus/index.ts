export { BackendCard, ConnectorsCard, LoopsCard } from './BackendStatus';
export { BackendDetails } from './BackendDetails';
