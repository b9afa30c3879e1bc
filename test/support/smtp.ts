import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/** How the test SMTP server answers the end of DATA. */
export type SmtpBehaviour =
  /** 250: taken. */
  | "accept"
  /** 451: try again later (transient). */
  | "refuse-4xx"
  /** 550: no such mailbox (permanent). */
  | "refuse-5xx"
  /** Reads the whole message, keeps it, and never answers. */
  | "silent-after-data"
  /** Reads the whole message, keeps it, then drops the connection without a reply. */
  | "drop-after-data";

/** A real SMTP server on 127.0.0.1 whose answer a test chooses, message by message. */
export interface TestSmtpServer {
  url: string;
  /** Every message whose DATA arrived complete, whatever the answer was. */
  received: Buffer[];
  /** The messages answered 250: what the owner's inbox holds. */
  accepted: Buffer[];
  /** The answer to the next messages (until changed). */
  behave(behaviour: SmtpBehaviour): void;
  close(): Promise<void>;
}

/** smtp-server keeps each socket on its connection object, not on the session it hands us. */
function connectionsOf(
  server: SMTPServer,
): Iterable<{ session?: { id: string }; _socket: { destroy(): void } }> {
  return (
    server as unknown as { connections: Set<{ session?: { id: string }; _socket: { destroy(): void } }> }
  ).connections;
}

/** Starts smtp-server on a free port, without auth or TLS. */
export async function startTestSmtpServer(initial: SmtpBehaviour = "accept"): Promise<TestSmtpServer> {
  let behaviour = initial;
  const received: Buffer[] = [];
  const accepted: Buffer[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    // Silent sessions would otherwise hold close() for the default 30 s.
    closeTimeout: 100,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push(Buffer.concat(chunks));
        if (behaviour === "accept") {
          accepted.push(Buffer.concat(chunks));
          return callback();
        }
        if (behaviour === "silent-after-data") return; // never answers
        if (behaviour === "drop-after-data") {
          for (const connection of connectionsOf(server))
            if (connection.session?.id === session.id) connection._socket.destroy();
          return;
        }
        const error = Object.assign(
          new Error(behaviour === "refuse-5xx" ? "5.1.1 No such mailbox" : "4.3.0 Try again later"),
          { responseCode: behaviour === "refuse-5xx" ? 550 : 451 },
        );
        callback(error);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    accepted,
    behave(next) {
      behaviour = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
