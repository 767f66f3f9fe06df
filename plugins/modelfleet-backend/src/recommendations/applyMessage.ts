/*
 * What applying a recommendation did, in a sentence for the card (pure):
 * whether its action waits for an approval under the team's dry-run
 * policy, runs now, or was already asked for today.
 */
import { ModelFleetAction } from '@modelfleet/plugin-modelfleet-common';

/** What the sentence names: the model, its team and the target pool, as people read them. */
export interface ApplyWords {
  /** The model; for a consolidation, the nodes and their pool (`node a100-6 of A100 on a100 (c1)`). */
  model: string;
  /** The owning team's name; absent when the model has none. */
  team?: string;
  /** The pool a move goes to, with its GPU: `L4 on g6-l4 (demo-aws-use1)`. */
  to?: string;
  /** The replicas a scale sets. */
  replicas?: number;
}

/** The outcome of an apply, for `RecommendationApplyResponse`. */
export interface ApplyOutcome {
  awaitsApproval: boolean;
  message: string;
}

const replicasWords = (n: number) => `${n} ${n === 1 ? 'replica' : 'replicas'}`;

/** What the action does, as it runs: `Moving Search reranker to L4 on …`. */
function doing(kind: ModelFleetAction['kind'], w: ApplyWords): string {
  switch (kind) {
    case 'migrate':
      return `Moving ${w.model}${w.to ? ` to ${w.to}` : ''}`;
    case 'scale':
      return w.replicas !== undefined
        ? `Scaling ${w.model} to ${replicasWords(w.replicas)}`
        : `Scaling ${w.model}`;
    case 'hibernate':
      return `Hibernating ${w.model}`;
    case 'sleep':
      return `Putting ${w.model}'s engines to sleep`;
    case 'keepAlive':
      return `Shortening ${w.model}'s keep-alive`;
    case 'spot-fallback':
      return `Changing ${w.model}'s spot and on-demand replicas`;
    case 'wake':
      return `Waking ${w.model}`;
    case 'consolidate':
      return `Emptying ${w.model}`;
    case 'poolMinimum':
      return `Lowering the minimum size of ${w.model}`;
    default:
      return `Deploying ${w.model}`;
  }
}

/** The action as the subject of a sentence: `A move of Search reranker to …`. */
function what(kind: ModelFleetAction['kind'], w: ApplyWords): string {
  return kind === 'migrate'
    ? `A move of ${w.model}${w.to ? ` to ${w.to}` : ''}`
    : doing(kind, w);
}

const lower = (s: string) =>
  s.charAt(0).toLocaleLowerCase('en-US') + s.slice(1);

/**
 * The sentence for an action an apply made, approved, or found already
 * made today (the same recommendation applied twice a day is one action).
 * `approved`: the apply approved a loop's action waiting for approval.
 */
export function applyOutcome(
  action: Pick<ModelFleetAction, 'kind' | 'state' | 'dryRun'>,
  words: ApplyWords,
  approved = false,
): ApplyOutcome {
  const phrase = what(action.kind, words);
  const waits = action.state === 'planned' && action.dryRun;
  if (waits) {
    if (action.kind === 'consolidate' || action.kind === 'poolMinimum') {
      const whose =
        action.kind === 'consolidate'
          ? "the platform's policy, or that of a team whose pods move,"
          : "the platform's policy";
      return {
        awaitsApproval: true,
        message: `${phrase} waits for approval: ${whose} is dry-run. Approve it under Node consolidations on the ModelFleet page.`,
      };
    }
    const policy = words.team ? `${words.team}'s` : "its team's";
    return {
      awaitsApproval: true,
      message: `${phrase} waits for approval: ${policy} policy is dry-run. Approve it on the ModelFleet page.`,
    };
  }
  const moving =
    action.kind === 'migrate'
      ? ', make before break: its new replicas start and become ready before the old ones stop'
      : '';
  switch (action.state) {
    case 'planned':
    case 'applying':
    case 'verifying': {
      const now = `${doing(action.kind, words)} now${moving}.`;
      return {
        awaitsApproval: false,
        message: approved ? `Approved: ${lower(now)}` : now,
      };
    }
    case 'done':
      return {
        awaitsApproval: false,
        message: `${phrase} was asked for earlier today and is done.`,
      };
    case 'cancelled':
      return {
        awaitsApproval: false,
        message: `${phrase} was asked for earlier today and cancelled; it can be applied again tomorrow${
          action.kind === 'consolidate'
            ? ''
            : ', or asked for on the Model page now'
        }.`,
      };
    default:
      return {
        awaitsApproval: false,
        message: `${phrase} was tried earlier today and ${
          action.state === 'failed' ? 'failed' : 'rolled back'
        }; ${
          action.kind === 'consolidate' || action.kind === 'poolMinimum'
            ? 'Node consolidations on the ModelFleet page say'
            : "the Model page's activity card says"
        } why.`,
      };
  }
}
