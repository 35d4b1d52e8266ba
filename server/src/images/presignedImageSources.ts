import { z } from 'zod';

const EndpointEnvSchema = z.object({
  AWS_ENDPOINT_URL_S3: z.url().optional(),
  AWS_ENDPOINT_URL: z.url().optional(),
});

/**
 * The page's Content-Security-Policy img-src. A project served by presigned URLs makes the
 * browser follow a 302 from /api/samples/:id/image to the bucket, and CSP checks every hop:
 * without the bucket's origin the labeller would show broken images. AWS buckets live under
 * *.amazonaws.com (virtual-hosted and path-style alike); an S3-compatible endpoint is added as
 * configured, with its subdomains for virtual-hosted buckets.
 */
export function presignedImageSources(env: NodeJS.ProcessEnv = process.env): string[] {
  const sources = ["'self'", 'data:', 'https://*.amazonaws.com'];
  const parsed = EndpointEnvSchema.safeParse(env);
  // A malformed endpoint is the SDK's to report when a bucket is used; it adds nothing here.
  const endpoint = parsed.success
    ? (parsed.data.AWS_ENDPOINT_URL_S3 ?? parsed.data.AWS_ENDPOINT_URL)
    : undefined;
  if (endpoint !== undefined) {
    const url = new URL(endpoint);
    sources.push(url.origin, `${url.protocol}//*.${url.host}`);
  }
  return sources;
}
