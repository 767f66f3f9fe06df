import { Knex } from 'knex';
import { PriceBookStore } from '../database/PriceBookStore';
import { ShowbackStore } from '../database/ShowbackStore';
import { SavingsLedger } from './SavingsLedger';
import { SavingsStore } from './SavingsStore';

export { SavingsLedger } from './SavingsLedger';
export { SavingsStore } from './SavingsStore';
export { savingsReport, SAVINGS_METHOD } from './savingsReport';

/** The savings ledger's store and the writer the showback roll-up calls. @internal */
export function createSavings(options: {
  db: Knex;
  showback: ShowbackStore;
  prices: PriceBookStore;
}): { store: SavingsStore; ledger: SavingsLedger } {
  const store = new SavingsStore(options.db);
  const ledger = new SavingsLedger({
    store,
    samples: (start, end) => options.showback.samples(start, end),
    prices: options.prices,
  });
  return { store, ledger };
}
