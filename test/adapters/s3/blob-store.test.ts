import { randomBytes } from "node:crypto";
import { S3Client } from "@aws-sdk/client-s3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createS3BlobStore } from "../../../src/adapters/s3/blob-store.js";
import { StorageError } from "../../../src/core/errors.js";
import { runBlobStoreContract } from "../../contracts/blob-store.contract.js";
import { startS3rver, TEST_REGION, type TestS3 } from "../../support/aws-emulators.js";

// s3rver knows one key pair and refuses any other access key id (TEST_CREDENTIALS included).
const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

function clientFor(s3: TestS3): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: TEST_REGION,
    credentials: S3RVER_CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

runBlobStoreContract("s3 (s3rver)", async () => {
  const s3 = await startS3rver();
  const client = clientFor(s3);
  return {
    store: createS3BlobStore({ client, bucket: s3.bucket }),
    async teardown() {
      client.destroy();
      await s3.close();
    },
  };
});

describe("s3 blob store extras", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    vi.unstubAllEnvs();
  });

  async function storeOnS3rver(options: { downloadUrlSeconds?: number } = {}) {
    const s3 = await startS3rver();
    const client = clientFor(s3);
    cleanups.push(s3.close, () => client.destroy());
    return { s3, store: createS3BlobStore({ client, bucket: s3.bucket, ...options }) };
  }

  it("hands out a presigned URL that downloads the exact bytes with the stored type", async () => {
    const { s3, store } = await storeOnS3rver({ downloadUrlSeconds: 60 });
    const bytes = new Uint8Array(randomBytes(4096));
    await store.put("chatkit-attachments/att_1.jpg", bytes, { contentType: "image/jpeg" });

    const url = await store.downloadUrl?.("chatkit-attachments/att_1.jpg", { filename: "seat.jpg" });
    expect(url?.startsWith(`${s3.endpoint}/${s3.bucket}/chatkit-attachments/att_1.jpg?`)).toBe(true);
    expect(new URL(url ?? "").searchParams.get("X-Amz-Expires")).toBe("60");

    const response = await fetch(url ?? "");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/jpeg");
    expect(response.headers.get("content-disposition")).toBe(
      `inline; filename="seat.jpg"; filename*=UTF-8''seat.jpg`,
    );
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
  });

  it("makes anything but an image a download and keeps any file name", async () => {
    const { store } = await storeOnS3rver();
    await store.put("chatkit-attachments/att_2.pdf", new Uint8Array([0x25, 0x50, 0x44, 0x46]), {
      contentType: "application/pdf",
    });
    const named = await store.downloadUrl?.("chatkit-attachments/att_2.pdf", {
      filename: 'Quote "José".pdf',
    });
    const response = await fetch(named ?? "");
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="Quote _Jos__.pdf"; filename*=UTF-8''Quote%20%22Jos%C3%A9%22.pdf`,
    );
    const unnamed = await fetch((await store.downloadUrl?.("chatkit-attachments/att_2.pdf", {})) ?? "");
    expect(unnamed.headers.get("content-disposition")).toBe("attachment");
  });

  it("answers null for an absent object and rejects bad keys before any request", async () => {
    const { store } = await storeOnS3rver();
    expect(await store.downloadUrl?.("chatkit-attachments/none.png", {})).toBeNull();
    for (const key of ["../x", "/etc/passwd", "a//b", ""]) {
      await expect(store.downloadUrl?.(key, {}), key).rejects.toThrow(`invalid blob key: ${key}`);
    }
  });

  it("round-trips a 20 MB photo, through get and through the presigned URL", async () => {
    const { store } = await storeOnS3rver();
    const bytes = new Uint8Array(randomBytes(20 * 1024 * 1024));
    await store.put("chatkit-attachments/big.png", bytes, { contentType: "image/png" });
    expect(await store.head("chatkit-attachments/big.png")).toEqual({
      size: bytes.byteLength,
      contentType: "image/png",
    });
    const blob = await store.get("chatkit-attachments/big.png");
    expect(blob?.bytes.byteLength).toBe(bytes.byteLength);
    expect(Buffer.from(blob?.bytes ?? []).equals(Buffer.from(bytes))).toBe(true);
    const response = await fetch((await store.downloadUrl?.("chatkit-attachments/big.png", {})) ?? "");
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
  });

  it("builds its own client from the SDK's environment, path-style when asked", async () => {
    const s3 = await startS3rver();
    cleanups.push(s3.close);
    // `localhost`, not an IP: for an IP endpoint the SDK picks path-style by itself.
    const endpoint = s3.endpoint.replace("127.0.0.1", "localhost");
    vi.stubEnv("AWS_ENDPOINT_URL_S3", endpoint);
    vi.stubEnv("AWS_REGION", TEST_REGION);
    vi.stubEnv("AWS_ACCESS_KEY_ID", S3RVER_CREDENTIALS.accessKeyId);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", S3RVER_CREDENTIALS.secretAccessKey);

    const store = createS3BlobStore({ bucket: s3.bucket, forcePathStyle: true });
    await store.put("lead-emails/cthr_1.eml", new TextEncoder().encode("Subject: hi\r\n\r\nhello"), {
      contentType: "message/rfc822",
    });
    const blob = await store.get("lead-emails/cthr_1.eml");
    expect(new TextDecoder().decode(blob?.bytes)).toBe("Subject: hi\r\n\r\nhello");
    expect(blob?.contentType).toBe("message/rfc822");
    const url = new URL((await store.downloadUrl?.("lead-emails/cthr_1.eml", {})) ?? "");
    expect(`${url.origin}${url.pathname}`).toBe(`${endpoint}/${s3.bucket}/lead-emails/cthr_1.eml`);
    await store.delete("lead-emails/cthr_1.eml");
    expect(await store.head("lead-emails/cthr_1.eml")).toBeNull();

    // Without it the SDK addresses `<bucket>.localhost/<key>`, which is not this server.
    const hosted = createS3BlobStore({ bucket: s3.bucket });
    await expect(hosted.head("lead-emails/cthr_1.eml")).rejects.toThrow();
  });

  it("turns an unreachable S3 into a StorageError (503), a missing bucket into a plain error", async () => {
    const s3 = await startS3rver();
    const client = clientFor(s3);
    cleanups.push(() => client.destroy());
    const missingBucket = createS3BlobStore({ client, bucket: "no-such-bucket" });
    const error = await missingBucket.get("chatkit-attachments/a.png").catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(StorageError);
    expect((error as Error).name).toBe("NoSuchBucket");

    await s3.close(); // the port now refuses connections
    const store = createS3BlobStore({ client, bucket: s3.bucket });
    const down = await store
      .put("chatkit-attachments/a.png", new Uint8Array([1]), { contentType: "image/png" })
      .catch((e: unknown) => e);
    expect(down).toBeInstanceOf(StorageError);
    expect((down as StorageError).code).toBe("storage_unavailable");
  });
});
