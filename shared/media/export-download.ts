import type { Job } from '../schemas/jobs';
import { presignGet } from './presign';

/** A finished export with a fresh presigned GET of its ZIP (15 min), signed at every read of the job. */
export async function withDownloadUrl(bucket: string, job: Job): Promise<Job> {
  if (job.kind !== 'export' || job.status !== 'succeeded' || !job.result) return job;
  return { ...job, result: { ...job.result, downloadUrl: await presignGet(bucket, job.result.objectKey) } };
}
