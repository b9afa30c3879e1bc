import { services } from "./runtime.js";

/**
 * The lead sweeper, invoked every minute by an EventBridge schedule: hands off conversations that
 * went quiet and retries failed sends (the same pass `npm start` runs on a timer).
 */
export async function handler(): Promise<unknown> {
  return services.sweeper.runOnce();
}
