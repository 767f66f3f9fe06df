export { ClustersTable, PoolsTable, WorkloadsTable } from './FleetTables';
