import type { AckFn, App, ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../src/log/create-logger.ts';
import { SlackListenerError } from './errors.ts';

/**
 * Wraps the App a receiver (HTTP or Socket Mode) hands requests to, so both acknowledge alike:
 * - an Events API request, which bolt acks before its listeners run, is acknowledged only once they are done
 *   (its job is in Redis); a listener failure leaves it unacknowledged so Slack delivers it again;
 * - slash commands and clicks ack themselves (with their ephemeral answer) and pass straight through;
 * - a request nothing acknowledged (an unknown type) or that bolt could not route (a malformed payload) is
 *   acknowledged empty, so Slack neither waits 3 s nor re-sends what can never be handled.
 */
export function ackAfterListeners(app: App, log: Logger): App {
  const processEvent = async (event: ReceiverEvent): Promise<void> => {
    const deferred = event.body.type === 'event_callback';
    let acked = false;
    const ack: AckFn<unknown> = async (response) => {
      acked = true;
      if (!deferred) await event.ack(response);
    };
    try {
      await app.processEvent({ ...event, ack });
    } catch (error) {
      if (error instanceof SlackListenerError) throw error;
      log.warn({ err: error, type: typeof event.body.type === 'string' ? event.body.type : undefined }, 'malformed slack payload ignored');
      if (acked && !deferred) return;
    }
    if (deferred || !acked) await event.ack();
  };
  // The receivers only ever call processEvent on the App they are given.
  return new Proxy(app, {
    get: (target, property, self): unknown => (property === 'processEvent' ? processEvent : Reflect.get(target, property, self)),
  });
}
