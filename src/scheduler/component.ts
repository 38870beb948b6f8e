/**
 * The scheduler as a component of `k8ts server`: started after the API server, it watches through shared
 * informers and binds through `pods/binding`, like every other client of the API.
 */
import { SharedInformerFactory } from '../client/cache/informer-factory.js';
import { ApiEventRecorder } from '../client/record/event-recorder.js';
import type { Component } from '../server/lifecycle.js';
import { loopbackClient } from '../server/loopback-client.js';
import type { ServerContext } from '../server/server.js';
import { ClientSink, InformerEventSource } from './client-adapter.js';
import { DEFAULT_SCHEDULER_NAME } from './framework/profile.js';
import { Scheduler } from './scheduler.js';

export const schedulerComponent: Component<ServerContext> = {
  name: 'scheduler',
  async start(ctx) {
    const client = loopbackClient(ctx, 'k8ts-scheduler');
    const ac = new AbortController();
    const factory = new SharedInformerFactory(client);
    const recorder = new ApiEventRecorder(client, { component: DEFAULT_SCHEDULER_NAME });
    const scheduler = new Scheduler({ source: new InformerEventSource(factory, ac.signal), sink: new ClientSink(client, recorder) });
    await scheduler.start();
    return {
      detail: `profile ${DEFAULT_SCHEDULER_NAME}`,
      async stop() {
        await scheduler.stop();
        ac.abort();
        await factory.shutdown();
        client.close();
      },
    };
  },
};
