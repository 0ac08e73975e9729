/**
 * The lab's OSS endpoint answers the bucket settings the app reads and sets (issue #18), through ali-oss with V4
 * signatures as the app sends them: GetBucketInfo and GetBucketLocation (from any region's endpoint), PutBucket (a
 * name taken is BucketAlreadyExists), ACL, versioning, and lifecycle rules checked as OSS checks them (NoSuchLifecycle
 * when there are none). A bucket of another region is refused through this region's endpoint, naming the right one.
 */
import OSS from 'ali-oss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { up, type Lab } from './index';

let lab: Lab;
let oss: OSS;

beforeAll(async () => {
  lab = await up({ services: ['oss'], nodes: 1 });
  oss = client(lab.oss.region);
});
afterAll(async () => {
  await lab?.down();
});

/** ali-oss as the app makes it, V4 signatures, addressed to a region's endpoint */
const client = (region: string) => new OSS({ ...lab.oss.clientOptions, region, authorizationV4: true });

/** The error ali-oss reports for a call (code, HTTP status, OSS's EC), or undefined when the call succeeds. */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: { code?: string; status?: number; ecCode?: string; message: string }) => ({
      code: e.code,
      status: e.status,
      ec: e.ecCode,
      message: e.message,
    }),
  );

/** A PutBucketLifecycle body sent as is (ali-oss checks rules itself, so the endpoint's own checks need a raw body). */
function putLifecycleXml(bucket: string, xml: string): Promise<unknown> {
  const raw = oss as unknown as { request(p: Record<string, unknown>): Promise<unknown> };
  return raw.request({ method: 'PUT', bucket, subres: 'lifecycle', content: xml, mime: 'xml', successStatuses: [200] });
}

/** ali-oss 6 has these; its type declarations lag behind */
interface Versioning {
  getBucketVersioning(bucket: string): Promise<{ versionStatus?: string }>;
  putBucketVersioning(bucket: string, status: 'Enabled' | 'Suspended'): Promise<unknown>;
}
const versioning = (c: OSS) => c as unknown as Versioning;

describe('lab OSS bucket settings through ali-oss (V4)', () => {
  it('GetBucketInfo and GetBucketLocation say region, ACL and versioning; versioning is remembered', async () => {
    const bucket = lab.oss.bucket;
    const info = (await oss.getBucketInfo(bucket)) as { bucket: Record<string, unknown> };
    expect(info.bucket).toMatchObject({
      Name: bucket,
      Location: 'oss-cn-beijing',
      ExtranetEndpoint: 'oss-cn-beijing.aliyuncs.com',
      IntranetEndpoint: 'oss-cn-beijing-internal.aliyuncs.com',
      StorageClass: 'Standard',
      AccessControlList: { Grant: 'private' },
    });
    expect(info.bucket.Versioning).toBeUndefined();
    expect((await oss.getBucketLocation(bucket)).location).toBe('oss-cn-beijing');

    expect((await versioning(oss).getBucketVersioning(bucket)).versionStatus).toBeUndefined();
    await versioning(oss).putBucketVersioning(bucket, 'Enabled');
    expect((await versioning(oss).getBucketVersioning(bucket)).versionStatus).toBe('Enabled');
    expect(((await oss.getBucketInfo(bucket)) as { bucket: Record<string, unknown> }).bucket.Versioning).toBe('Enabled');
    await versioning(oss).putBucketVersioning(bucket, 'Suspended');
    expect((await versioning(oss).getBucketVersioning(bucket)).versionStatus).toBe('Suspended');
    expect(lab.oss.bucketSettings(bucket).versioning).toBe('Suspended');
  });

  it('PutBucket creates a bucket with its ACL and storage class; a name taken is BucketAlreadyExists', async () => {
    await oss.putBucket('harbor-made-by-app', { acl: 'private', storageClass: 'IA' } as OSS.PutBucketOptions);
    expect(((await oss.getBucketInfo('harbor-made-by-app')) as { bucket: Record<string, unknown> }).bucket).toMatchObject({
      Location: 'oss-cn-beijing',
      StorageClass: 'IA',
      AccessControlList: { Grant: 'private' },
    });
    expect(await failure(oss.putBucket('harbor-made-by-app'))).toMatchObject({ code: 'BucketAlreadyExists', status: 409 });
    expect(await failure(oss.putBucket('Bad_Name'))).toBeDefined(); // ali-oss refuses the name before sending
    expect(await failure(oss.getBucketInfo('no-such-bucket-here'))).toMatchObject({ code: 'NoSuchBucket', status: 404 });
  });

  it('PutBucketAcl and GetBucketAcl; an ACL OSS does not know is InvalidArgument', async () => {
    const bucket = 'harbor-made-by-app';
    await oss.putBucketACL(bucket, 'public-read');
    expect((await oss.getBucketACL(bucket)).acl).toBe('public-read');
    expect(((await oss.getBucketInfo(bucket)) as { bucket: { AccessControlList: { Grant: string } } }).bucket.AccessControlList.Grant).toBe(
      'public-read',
    );
    await oss.putBucketACL(bucket, 'private');
    expect((await oss.getBucketACL(bucket)).acl).toBe('private');
    expect(await failure(oss.putBucketACL(bucket, 'everyone' as OSS.ACLType))).toMatchObject({ code: 'InvalidArgument', status: 400 });
    expect((await oss.getBucketACL(bucket)).acl).toBe('private');
  });

  it('lifecycle: NoSuchLifecycle until set, an abort-multipart rule stored and read back, checked as OSS does, deleted', async () => {
    const bucket = lab.oss.bucket;
    expect(await failure(oss.getBucketLifecycle(bucket))).toMatchObject({ code: 'NoSuchLifecycle', status: 404 });

    // @types/ali-oss lags behind ali-oss 6 here too: its LifecycleRule has no abortMultipartUpload
    const abortRule = { id: 'harbor-abort-multipart', prefix: '', status: 'Enabled', abortMultipartUpload: { days: 7 } };
    await oss.putBucketLifecycle(bucket, [abortRule as unknown as OSS.LifecycleRule]);
    expect((await oss.getBucketLifecycle(bucket)).rules).toEqual([
      { id: 'harbor-abort-multipart', prefix: '', status: 'Enabled', abortMultipartUpload: { days: '7' } },
    ]);

    const rule = (inner: string) =>
      `<?xml version="1.0" encoding="UTF-8"?><LifecycleConfiguration><Rule><ID>r</ID><Prefix></Prefix><Status>Enabled</Status>${inner}</Rule></LifecycleConfiguration>`;
    expect(await failure(putLifecycleXml(bucket, rule('<AbortMultipartUpload></AbortMultipartUpload>')))).toMatchObject({
      code: 'InvalidArgument',
      status: 400,
      ec: '0014-00000073',
    });
    expect(
      await failure(
        putLifecycleXml(
          bucket,
          rule(
            '<AbortMultipartUpload><Days>3</Days><CreatedBeforeDate>2026-01-01T00:00:00.000Z</CreatedBeforeDate></AbortMultipartUpload>',
          ),
        ),
      ),
    ).toMatchObject({ code: 'InvalidArgument', ec: '0014-00000074' });
    expect(await failure(putLifecycleXml(bucket, rule('<AbortMultipartUpload><Days>0</Days></AbortMultipartUpload>')))).toMatchObject({
      code: 'InvalidArgument',
    });
    expect(await failure(putLifecycleXml(bucket, rule('')))).toMatchObject({ code: 'InvalidArgument' }); // no action
    expect(await failure(putLifecycleXml(bucket, '<LifecycleConfiguration><Rule><ID>r</ID>'))).toMatchObject({
      code: 'MalformedXML',
      ec: '0014-00000011',
    });
    // a refused configuration leaves the stored one as it was
    expect((await oss.getBucketLifecycle(bucket)).rules).toHaveLength(1);

    await oss.deleteBucketLifecycle(bucket);
    expect(await failure(oss.getBucketLifecycle(bucket))).toMatchObject({ code: 'NoSuchLifecycle' });
  });

  it("a bucket of another region: its info from this endpoint, anything else refused naming the bucket's endpoint", async () => {
    lab.oss.createBucket('harbor-hangzhou', { region: 'oss-cn-hangzhou' });
    const info = (await oss.getBucketInfo('harbor-hangzhou')) as { bucket: Record<string, unknown> };
    expect(info.bucket.Location).toBe('oss-cn-hangzhou');
    expect((await oss.getBucketLocation('harbor-hangzhou')).location).toBe('oss-cn-hangzhou');

    const wrong = await failure(versioning(oss).getBucketVersioning('harbor-hangzhou'));
    expect(wrong).toMatchObject({ code: 'AccessDenied', status: 403 });
    expect(wrong?.message).toContain('must be addressed using the specified endpoint');
    const elsewhere = new OSS({ ...lab.oss.clientOptions, region: 'oss-cn-beijing', bucket: 'harbor-hangzhou', authorizationV4: true });
    expect(await failure(elsewhere.put('x.txt', Buffer.from('x')))).toMatchObject({ code: 'AccessDenied', status: 403 });
    expect(await failure(oss.putBucket('harbor-hangzhou'))).toMatchObject({ code: 'BucketAlreadyExists' });

    // through its own region's endpoint it works
    const hangzhou = new OSS({ ...lab.oss.clientOptions, region: 'oss-cn-hangzhou', bucket: 'harbor-hangzhou', authorizationV4: true });
    await hangzhou.put('x.txt', Buffer.from('x'));
    expect((await versioning(hangzhou).getBucketVersioning('harbor-hangzhou')).versionStatus).toBeUndefined();
    // and a bucket created through that endpoint lives there
    await hangzhou.putBucket('harbor-made-in-hangzhou');
    expect(lab.oss.bucketSettings('harbor-made-in-hangzhou').region).toBe('oss-cn-hangzhou');
  });
});
