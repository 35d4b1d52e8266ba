/**
 * The page's Content-Security-Policy img-src. A project served by presigned URLs makes the
 * browser follow a 302 from /api/samples/:id/image to the bucket, and CSP checks every hop:
 * without the bucket's origin the labeller would show broken images. AWS buckets live under
 * *.amazonaws.com (virtual-hosted and path-style alike); an S3-compatible endpoint is added as
 * configured (`s3Endpoint`, from the config), with its subdomains for virtual-hosted buckets.
 */
export function presignedImageSources(s3Endpoint: string | undefined): string[] {
  const sources = ["'self'", 'data:', 'https://*.amazonaws.com'];
  if (s3Endpoint !== undefined) {
    const url = new URL(s3Endpoint);
    sources.push(url.origin, `${url.protocol}//*.${url.host}`);
  }
  return sources;
}
