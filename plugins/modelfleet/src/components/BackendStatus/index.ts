export { BackendCard, ConnectorsCard, LoopsCard } from './BackendStatus';
