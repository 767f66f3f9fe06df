import http from 'node:http';
import { StoredObject } from './objects';
import { ResourceType, typeKey } from './resources';
import { matchesSelector, Selector } from './selectors';
import { statusBody } from './status';
import { EventType, ObjectStore, StoreEvent } from './store';

/** An open watch stream. */
interface OpenWatch {
  type: ResourceType;
  res: http.ServerResponse;
  stop(): void;
}

/**
 * The watches of one API server: newline-delimited JSON events, chunked,
 * kept open until the client leaves, `timeoutSeconds` passes, or the
 * simulator drops them.
 */
export class WatchHub {
  private readonly open = new Set<OpenWatch>();

  constructor(private readonly store: ObjectStore) {}

  /**
   * Starts a watch. Without a resourceVersion (or with `0`) it begins with
   * an ADDED event for each object there is; from a resourceVersion it
   * replays the changes after it, or answers 410 Gone in an ERROR event
   * when they are no longer kept. An object that stops matching the
   * selector arrives as DELETED, one that starts matching as ADDED.
   */
  start(input: {
    res: http.ServerResponse;
    type: ResourceType;
    namespace?: string;
    selector: Selector;
    resourceVersion?: string;
    timeoutSeconds?: number;
  }): void {
    const { res, type, namespace, selector } = input;
    res.writeHead(200, {
      'content-type': 'application/json',
      'cache-control': 'no-cache, private',
    });
    res.flushHeaders();
    const send = (eventType: string, object: unknown) => {
      if (!res.destroyed && !res.writableEnded) {
        res.write(`${JSON.stringify({ type: eventType, object })}\n`);
      }
    };
    const inScope = (o: StoredObject | undefined) =>
      o !== undefined &&
      (!namespace || o.metadata.namespace === namespace) &&
      matchesSelector(selector, o);
    const deliver = (e: StoreEvent) => {
      const was = e.type !== 'ADDED' && inScope(e.old);
      const is = e.type !== 'DELETED' && inScope(e.object);
      let t: EventType | undefined;
      if (e.type === 'DELETED') t = was ? 'DELETED' : undefined;
      else if (was && is) t = 'MODIFIED';
      else if (is) t = 'ADDED';
      else if (was) t = 'DELETED';
      if (t) send(t, e.object);
    };

    const from = input.resourceVersion;
    if (!from || from === '0') {
      for (const o of this.store.list(type, { namespace, selector }))
        send('ADDED', o);
    } else {
      const rv = Number(from);
      const events = Number.isFinite(rv)
        ? this.store.eventsSince(type, rv)
        : 'gone';
      if (events === 'gone') {
        send(
          'ERROR',
          statusBody(
            410,
            'Expired',
            `too old resource version: ${from} (${this.store.oldestResourceVersion})`,
          ),
        );
        res.end();
        return;
      }
      for (const e of events) deliver(e);
    }

    const key = typeKey(type);
    const unsubscribe = this.store.subscribe(e => {
      if (typeKey(e.resource) === key) deliver(e);
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const watch: OpenWatch = {
      type,
      res,
      stop: () => {
        unsubscribe();
        if (timer) clearTimeout(timer);
        this.open.delete(watch);
      },
    };
    this.open.add(watch);
    res.on('close', () => watch.stop());
    if (input.timeoutSeconds && input.timeoutSeconds > 0) {
      timer = setTimeout(() => {
        watch.stop();
        res.end();
      }, input.timeoutSeconds * 1000);
      timer.unref?.();
    }
  }

  /** Number of open watches, of a resource or all. */
  count(resource?: string): number {
    return [...this.open].filter(w => !resource || w.type.plural === resource)
      .length;
  }

  /** Cuts the connections of open watches (of one resource, or all). */
  drop(resource?: string): number {
    let n = 0;
    for (const w of [...this.open]) {
      if (resource && w.type.plural !== resource) continue;
      w.stop();
      w.res.socket?.destroy();
      n++;
    }
    return n;
  }

  /**
   * Ends open watches cleanly, as the API server does when a watch's
   * timeout passes; clients watch again from their last resourceVersion.
   */
  end(resource?: string): number {
    let n = 0;
    for (const w of [...this.open]) {
      if (resource && w.type.plural !== resource) continue;
      w.stop();
      w.res.end();
      n++;
    }
    return n;
  }

  /** Ends open watches with a 410 Gone ERROR event, as after a compaction. */
  expire(resource?: string): number {
    let n = 0;
    for (const w of [...this.open]) {
      if (resource && w.type.plural !== resource) continue;
      w.stop();
      const gone = statusBody(410, 'Expired', 'too old resource version');
      w.res.end(`${JSON.stringify({ type: 'ERROR', object: gone })}\n`);
      n++;
    }
    return n;
  }

  closeAll(): void {
    this.drop();
  }
}
