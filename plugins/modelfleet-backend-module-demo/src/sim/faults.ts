/**
 * A fault to answer requests with, instead of (or before) the real answer.
 *
 * @public
 */
export interface FaultSpec {
  /** `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`; any when absent or `*`. */
  verb?: string;
  /**
   * The resource, e.g. `deployments`, or with its subresource,
   * `deployments/scale`; any when absent or `*` (discovery included).
   */
  resource?: string;
  /** Only requests in this namespace. */
  namespace?: string;
  /** Only requests for this object. */
  name?: string;
  /** How many requests get the fault; 1 by default. */
  times?: number;
  /** Answer with this status (500, 503, 409, 403, 429, …) and a Status body. */
  status?: number;
  /** The Status message; a plausible one by default. */
  message?: string;
  /**
   * Wait this long, in wall-clock milliseconds, before answering (or
   * failing): client time limits are wall-clock.
   */
  delayMs?: number;
  /** Cut the connection without an answer. */
  drop?: boolean;
}

/** A fault waiting for requests. */
export interface ActiveFault extends FaultSpec {
  id: number;
  /** Requests it will still answer. */
  remaining: number;
}

/** What a request is, for matching faults. */
export interface FaultTarget {
  verb: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

const MESSAGES: Record<number, string> = {
  500: 'Internal error occurred: injected by the simulator',
  503: 'the server is currently unable to handle the request',
  409: 'Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again',
  429: 'Too many requests, please try again later.',
  403: 'forbidden: injected by the simulator',
};

export const defaultFaultMessage = (status: number) =>
  MESSAGES[status] ?? `injected ${status}`;

/** The faults of one API server, answered first come, first served. */
export class FaultInjector {
  private faults: ActiveFault[] = [];
  private seq = 0;

  add(spec: FaultSpec): ActiveFault {
    const times = spec.times ?? 1;
    if (!(Number.isInteger(times) && times > 0)) {
      throw new Error(
        `times must be a whole number above 0, not ${spec.times}`,
      );
    }
    if (spec.status === undefined && !spec.drop && spec.delayMs === undefined) {
      throw new Error('a fault needs a status, a delayMs or drop');
    }
    const fault: ActiveFault = { ...spec, id: ++this.seq, remaining: times };
    this.faults.push(fault);
    return { ...fault };
  }

  list(): ActiveFault[] {
    return this.faults.map(f => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }

  /** The first fault that matches the request, used up once. */
  take(target: FaultTarget): ActiveFault | undefined {
    const any = (v: string | undefined) => v === undefined || v === '*';
    let resource = target.resource;
    if (resource && target.subresource) resource += `/${target.subresource}`;
    const fault = this.faults.find(
      f =>
        (any(f.verb) || f.verb === target.verb) &&
        (any(f.resource) || f.resource === resource) &&
        (f.namespace === undefined || f.namespace === target.namespace) &&
        (f.name === undefined || f.name === target.name),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0)
      this.faults = this.faults.filter(f => f !== fault);
    return { ...fault };
  }
}
