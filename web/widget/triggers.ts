import type { ChatClient, TriggerReason } from "./client.js";

/** The quiet window: 5 minutes without customer or assistant activity. */
export const LEAD_QUIET_SEND_MS = 300_000;

/** What the triggers need to know about the chat. */
export interface TriggerHost {
  client: ChatClient;
  /** The current thread, or null before the first message. */
  threadId(): string | null;
  /** True while the panel is open (the idle trigger only fires then). */
  isOpen(): boolean;
}

/**
 * The widget's lead triggers: the quiet-window timer (`idle`), `pagehide`/`visibilitychange`
 * (a beacon) and panel close (`chat_closed`). None fires before the customer has said something;
 * the server decides whether an email goes out and makes sure only one ever does.
 */
export class LeadTriggers {
  /** Set once the customer has said something in the current thread. */
  customerSpoke = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by activity; a beacon is not repeated for the same activity (hidden, then pagehide). */
  private activity = 0;
  private beaconedAt = -1;

  constructor(private readonly host: TriggerHost) {
    const onHide = () => this.sendLeadEmail({ reason: "pagehide" });
    addEventListener("pagehide", onHide);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") onHide();
    });
  }

  /** Restarts the quiet window; call on every customer or assistant activity. */
  bumpIdleTimer(): void {
    this.activity++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.host.isOpen()) void this.sendLeadEmail({ reason: "idle" });
    }, LEAD_QUIET_SEND_MS);
    // Keep the secret fresh enough for a beacon, which cannot refresh it on 401.
    const client = this.host.client;
    if (client.secret && Date.now() - client.secretAt > LEAD_QUIET_SEND_MS)
      void client.refresh().catch(() => {});
  }

  /** Stops the quiet window (new conversation). */
  reset(): void {
    clearTimeout(this.timer);
    this.customerSpoke = false;
    this.activity++;
  }

  /** Asks the backend to hand the lead over; logs the trigger and the backend's answer. */
  async sendLeadEmail({ reason }: { reason: TriggerReason }): Promise<void> {
    const threadId = this.host.threadId();
    if (!threadId || !this.customerSpoke) return;
    if (reason === "pagehide") {
      if (this.beaconedAt === this.activity) return;
      if (this.host.client.beacon(threadId, reason)) {
        this.beaconedAt = this.activity;
        console.info("lead-chat trigger reason", reason, "lead_reason", "beacon queued");
      }
      return;
    }
    if (reason === "idle") clearTimeout(this.timer);
    try {
      const leadReason = await this.host.client.lead(threadId, reason);
      console.info("lead-chat trigger reason", reason, "lead_reason", leadReason);
    } catch (error) {
      console.info("lead-chat trigger reason", reason, "lead_reason", "request_failed", String(error));
    }
  }
}
