/*
 * The catalog the in-process scaffolder actions look entities up in: the
 * entities of the demo organisation's files (examples/demo), which the
 * portal's catalog loads too, so the actions run while the portal starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';

const lower = (s: string) => s.toLocaleLowerCase('en-US');

/** Reads every entity of the YAML files in `dir`, by lower-case ref. */
export function readEntities(dir: string): Map<string, any> {
  const out = new Map<string, any>();
  for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.yaml'))) {
    for (const doc of yaml.parseAllDocuments(
      fs.readFileSync(path.join(dir, file), 'utf8'),
    )) {
      const e = doc.toJS();
      if (!e?.kind || !e?.metadata?.name) continue;
      const ns = e.metadata.namespace ?? 'default';
      out.set(lower(`${e.kind}:${ns}/${e.metadata.name}`), {
        ...e,
        metadata: { namespace: ns, ...e.metadata },
      });
    }
  }
  return out;
}

/**
 * A CatalogService over those entities: `getEntityByRef` answers; any
 * other method throws, naming itself, so a harness that needs more says so.
 */
export function fileCatalog(dir: string): any {
  const entities = readEntities(dir);
  const getEntityByRef = async (
    ref: string | { kind: string; namespace?: string; name: string },
  ) => {
    const key =
      typeof ref === 'string'
        ? ref
        : `${ref.kind}:${ref.namespace ?? 'default'}/${ref.name}`;
    return entities.get(lower(key));
  };
  return new Proxy(
    { getEntityByRef },
    {
      get(target, prop) {
        if (prop in target) return (target as any)[prop];
        if (typeof prop !== 'string' || prop === 'then') return undefined;
        return async () => {
          throw new Error(
            `the fuzz test's catalog has no ${prop}(); add it to fileCatalog.ts`,
          );
        };
      },
    },
  );
}
