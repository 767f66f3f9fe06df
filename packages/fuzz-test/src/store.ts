/*
 * What the portal stores, before and after the hostile requests: the
 * ModelFleet tables that requests write (the actions and their events, by
 * action) in the portal's SQLite file, the row counts of every ModelFleet
 * table, and the catalog's entity list. Tables the background tasks write
 * (cluster sync, showback, prices, bills) and the GpuPool and cluster
 * Resource entities (made by the pool provider from the clusters, with a
 * `modelfleet.io/cluster` annotation) change on their own; they are counted,
 * not compared.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import knexFactory from 'knex';
import { call } from './http';

/** One snapshot. */
export interface StoreSnapshot {
  /** Row count of each ModelFleet table. */
  counts: Record<string, number>;
  /** Hash of each action's row and events, by action id. */
  actions: Map<string, string>;
  /** The catalog's entity refs (without those the pool provider makes from the clusters). */
  entities: string[];
}

const hash = (x: unknown) =>
  crypto
    .createHash('sha256')
    .update(JSON.stringify(x))
    .digest('hex')
    .slice(0, 16);

/** Lists the files below a directory, relative to it, but those under `skip`. */
export function listFiles(dir: string, skip?: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (skip && p === skip) continue;
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** Reads a snapshot of the portal's store. */
export async function snapshot(options: {
  sqliteFile: string;
  base: string;
  token: string;
}): Promise<StoreSnapshot> {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: {
      filename: options.sqliteFile,
      options: { readonly: true, fileMustExist: true, timeout: 10_000 },
    } as any,
    useNullAsDefault: true,
  });
  try {
    const tables: Array<{ name: string }> = await knex('sqlite_master')
      .where('type', 'table')
      .andWhere('name', 'like', 'modelfleet_%')
      .select('name');
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      const [row] = await knex(name).count({ n: '*' });
      counts[name] = Number(row.n);
    }
    const rows = await knex('modelfleet_actions').select().orderBy('id');
    const events = await knex('modelfleet_action_events')
      .select()
      .orderBy('id');
    const actions = new Map<string, string>();
    for (const row of rows) {
      actions.set(
        row.id,
        hash([row, events.filter((e: any) => e.action_id === row.id)]),
      );
    }
    for (const e of events) {
      if (!actions.has(e.action_id))
        actions.set(e.action_id, hash(['orphan', e]));
    }
    const r = await call(
      options.base,
      'GET',
      '/api/catalog/entities?fields=kind,metadata.namespace,metadata.name,metadata.annotations',
      options.token,
    );
    if (r.status !== 200 || !Array.isArray(r.json)) {
      throw new Error(
        `the catalog's entity list: ${r.status} ${r.message.slice(0, 200)}`,
      );
    }
    const entities = (r.json as any[])
      // Made by the pool provider from the clusters' state.
      .filter(e => !e.metadata.annotations?.['modelfleet.io/cluster'])
      .map(e =>
        `${e.kind}:${e.metadata.namespace ?? 'default'}/${
          e.metadata.name
        }`.toLocaleLowerCase('en-US'),
      )
      .sort();
    return { counts, actions, entities };
  } finally {
    await knex.destroy();
  }
}

/** What changed between two snapshots that the fuzzer was not allowed to change. */
export function storeChanges(
  before: StoreSnapshot,
  after: StoreSnapshot,
  allowedActions: Set<string>,
): string[] {
  const problems: string[] = [];
  for (const [id, h] of after.actions) {
    if (allowedActions.has(id)) continue;
    const old = before.actions.get(id);
    if (old === undefined)
      problems.push(
        `action ${id} was stored by a request that was not accepted`,
      );
    else if (old !== h) problems.push(`action ${id} (or its events) changed`);
  }
  for (const id of before.actions.keys()) {
    if (!after.actions.has(id)) problems.push(`action ${id} was deleted`);
  }
  const added = after.entities.filter(e => !before.entities.includes(e));
  const removed = before.entities.filter(e => !after.entities.includes(e));
  if (added.length)
    problems.push(`catalog entities added: ${added.slice(0, 5).join(', ')}`);
  if (removed.length)
    problems.push(
      `catalog entities removed: ${removed.slice(0, 5).join(', ')}`,
    );
  return problems;
}
