import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, isError, NotFoundError } from '@backstage/errors';
import {
  modelfleetTaskRunPermission,
  TaskRunResponse,
} from '@modelfleet/plugin-modelfleet-common';
import Router from 'express-promise-router';
import { authorize, callerOf } from './common';

/** The loops a person may run now. */
export interface RunnableTasks {
  has(id: string): boolean;
  trigger(id: string): Promise<void>;
}

const TASK_ID = /^[a-z][a-z0-9-]{0,99}$/;

/**
 * `POST /tasks/:id/run` (`modelfleet.task.run`, a platform engineer's):
 * runs one of the backend's loops now, on whichever replica claims it, as
 * Backstage's scheduler triggers a task; its next scheduled run stays. A
 * loop that is running already goes on (202, `alreadyRunning`); an
 * unknown one is a 404.
 */
export function createTasksRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  tasks: RunnableTasks;
}) {
  const { httpAuth, permissions, tasks } = options;
  const router = Router();

  router.post('/tasks/:id/run', async (req, res) => {
    const credentials = await callerOf(httpAuth, req);
    const { id } = req.params;
    if (!TASK_ID.test(id)) {
      throw new InputError(
        `id: must be a loop's id such as modelfleet-showback, got '${id.slice(
          0,
          80,
        )}'`,
      );
    }
    await authorize(permissions, modelfleetTaskRunPermission, credentials);
    if (!tasks.has(id)) {
      throw new NotFoundError(`id: no loop '${id}' (see GET /status)`);
    }
    let alreadyRunning = false;
    try {
      await tasks.trigger(id);
    } catch (e) {
      if (!isError(e) || e.name !== 'ConflictError') throw e;
      alreadyRunning = true;
    }
    const body: TaskRunResponse = {
      id,
      alreadyRunning,
      message: alreadyRunning
        ? `${id} is running already; its run shows in the loops' status when it finishes.`
        : `${id} runs now; its run shows in the loops' status when it finishes.`,
    };
    res.status(202).json(body);
  });

  return router;
}
