import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketLifecycleConfigurationCommand,
  type S3Client,
} from "@aws-sdk/client-s3";

/** What {@link ensureBucket} did. */
export interface BucketSetupResult {
  bucket: string;
  created: boolean;
  /** False when the endpoint has no lifecycle API (some emulators): then nothing expires on its own. */
  lifecycleSet: boolean;
}

/** Expiry rules, in days per key prefix (the stack declares the same). */
export interface BucketLifecycle {
  /** `chatkit-attachments/`: `ATTACHMENT_RETENTION_DAYS`. */
  attachmentDays: number;
  /** `lead-emails/`: the prepared lead emails, kept as long as their send rows. */
  leadEmailDays: number;
}

/** Whether an S3 error says the bucket is not there (HeadBucket answers a bare 404). */
function isMissing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === "NotFound" || e.name === "NoSuchBucket" || e.$metadata?.httpStatusCode === 404;
}

/**
 * Creates the bucket when missing and sets its lifecycle rules where the endpoint supports them.
 * Running it twice is safe.
 */
export async function ensureBucket(
  client: S3Client,
  bucket: string,
  lifecycle: BucketLifecycle,
): Promise<BucketSetupResult> {
  let created = false;
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (!isMissing(error)) throw error;
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    created = true;
  }
  const rule = (id: string, prefix: string, days: number) => ({
    ID: id,
    Status: "Enabled" as const,
    Filter: { Prefix: prefix },
    Expiration: { Days: days },
  });
  try {
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: {
          Rules: [
            rule("expire-attachments", "chatkit-attachments/", lifecycle.attachmentDays),
            rule("expire-lead-emails", "lead-emails/", lifecycle.leadEmailDays),
          ],
        },
      }),
    );
    return { bucket, created, lifecycleSet: true };
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 501 || (error as { name?: string }).name === "NotImplemented") {
      return { bucket, created, lifecycleSet: false };
    }
    throw error;
  }
}
