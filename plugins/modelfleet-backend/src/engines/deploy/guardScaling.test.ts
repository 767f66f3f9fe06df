import {
  DEFAULT_DENIED_NAMESPACES,
  KubeObject,
  MODEL_DEPLOYMENT_KINDS,
} from '@modelfleet/plugin-modelfleet-common';
import { guardDeployment } from './guard';
import { wakeObjects } from '../../deploy/__testUtils__/wakeObjects';

const refusals = (...objects: KubeObject[]) =>
  guardDeployment({
    namespace: 'models',
    model: 'chat',
    objects,
    allowedKinds: MODEL_DEPLOYMENT_KINDS,
    deniedNamespaces: DEFAULT_DENIED_NAMESPACES,
  }).map(r => `${r.path}: ${r.reason}`);

describe('guardDeployment of replica bounds', () => {
  it('refuses an HTTPScaledObject past the cap, or without a maximum (the add-on then takes 100)', () => {
    const { httpScaledObject } = wakeObjects();
    const spec = (httpScaledObject as any).spec;
    spec.replicas = { min: 0, max: 500 };
    expect(refusals(httpScaledObject)).toEqual([
      'spec.replicas.max: 500 replicas: must be a whole number from 0 to 64',
    ]);
    spec.replicas = { min: 0 };
    expect(refusals(httpScaledObject)).toEqual([
      'spec.replicas.max: absent: the HTTP add-on then scales to 100 replicas; a model needs at most 64',
    ]);
  });

  it("refuses a Knative Service's scale annotations past the cap, not whole, or without a limit", () => {
    const { knativeService } = wakeObjects();
    const annotations = (knativeService as any).spec.template.metadata
      .annotations;
    const base = 'spec.template.metadata.annotations.autoscaling.knative.dev';
    annotations['autoscaling.knative.dev/max-scale'] = '100';
    annotations['autoscaling.knative.dev/min-scale'] = '-1';
    annotations['autoscaling.knative.dev/initial-scale'] = '1.5';
    expect(refusals(knativeService)).toEqual([
      `${base}/min-scale: -1 replicas: must be a whole number from 0 to 64`,
      `${base}/max-scale: 100 replicas: must be a whole number from 0 to 64`,
      `${base}/initial-scale: 1.5 replicas: must be a whole number from 0 to 64`,
    ]);
    annotations['autoscaling.knative.dev/min-scale'] = '0';
    annotations['autoscaling.knative.dev/initial-scale'] = '1';
    annotations['autoscaling.knative.dev/max-scale'] = '0';
    expect(refusals(knativeService)).toEqual([
      `${base}/max-scale: 0: the revision then scales without limit; a model needs at most 64`,
    ]);
    delete annotations['autoscaling.knative.dev/max-scale'];
    expect(refusals(knativeService)).toEqual([
      `${base}/max-scale: absent: the revision then scales without limit; a model needs at most 64`,
    ]);
  });
});

describe("guardDeployment of what a model's autoscalers reach", () => {
  it("refuses autoscalers that scale, or route to, another model's objects", () => {
    const { httpScaledObject, scaledObject } = wakeObjects();
    const http = (httpScaledObject as any).spec;
    http.scaleTargetRef.name = 'search';
    http.scaleTargetRef.service = 'search';
    http.coldStartTimeoutFailoverRef = { service: 'search', port: 8000 };
    const so = (scaledObject as any).spec;
    so.scaleTargetRef.name = 'search';
    so.triggers[0].metadata.httpScaledObject = 'search';
    const not = "'search' is not the model's (chat or chat-…)";
    expect(refusals(httpScaledObject, scaledObject)).toEqual([
      `spec.scaleTargetRef.name: ${not}`,
      `spec.scaleTargetRef.service: ${not}`,
      `spec.coldStartTimeoutFailoverRef.service: ${not}`,
      `spec.scaleTargetRef.name: ${not}`,
      `spec.triggers[0].metadata.httpScaledObject: ${not}`,
    ]);
  });

  it("accepts the model's own in-cluster host names, whatever the cluster domain", () => {
    const { httpScaledObject } = wakeObjects();
    (httpScaledObject as any).spec.hosts = [
      'chat.models',
      'chat.models.svc',
      'chat.models.svc.cluster.local',
      'chat-canary.models.svc.corp.example',
    ];
    expect(refusals(httpScaledObject)).toEqual([]);
  });

  it.each([
    ['search.models.svc.cluster.local'],
    ['chat.other-team.svc.cluster.local'],
    ['chat'],
    ['*'],
    [''],
    ['*.models.svc.cluster.local'],
    ['chat.models.example.com'],
  ])(
    "refuses the host %j: the interceptor's routes are the whole cluster's",
    host => {
      const { httpScaledObject } = wakeObjects();
      (httpScaledObject as any).spec.hosts = ['chat.models', host];
      expect(refusals(httpScaledObject)).toEqual([
        `spec.hosts[1]: '${host}' is not one of the model's in-cluster names (chat.models, chat.models.svc, chat.models.svc.cluster.local)`,
      ]);
    },
  );

  it('refuses an HTTPScaledObject without hosts, which catches every request no other route takes', () => {
    const { httpScaledObject } = wakeObjects();
    const spec = (httpScaledObject as any).spec;
    spec.hosts = [];
    expect(refusals(httpScaledObject)).toEqual([
      "spec.hosts: empty: the interceptor would send the model every request no other route takes; list the model's host names (chat.models.svc.cluster.local)",
    ]);
    delete spec.hosts;
    expect(refusals(httpScaledObject)[0]).toMatch(/^spec\.hosts: absent: /);
  });
});
