import { readConfig } from '../../shared/core/config';
import { getContent } from '../../shared/db/content-store';
import { contentView } from '../../shared/domain/content';
import { Reply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';
import { contentRoutes } from '../../shared/http/routes/content';
import { etag } from '../../shared/http/preconditions';
import { presignGet } from '../../shared/media/presign';

const { TABLE_NAME, MEDIA_BUCKET_NAME } = readConfig(['TABLE_NAME', 'MEDIA_BUCKET_NAME']);
const presignThumbnail = (key: string) => presignGet(MEDIA_BUCKET_NAME, key);

export const handler = httpRoute(contentRoutes, 'GetContent', async ({ userId, params }) => {
  const item = await getContent(TABLE_NAME, userId, params);
  return new Reply(await contentView(item, presignThumbnail), { headers: etag(item.version) });
});
