import { readConfig } from '../../shared/core/config';
import { listContent } from '../../shared/db/content-store';
import { contentView } from '../../shared/domain/content';
import { Reply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';
import { contentRoutes } from '../../shared/http/routes/content';
import { presignGet } from '../../shared/media/presign';

const { TABLE_NAME, MEDIA_BUCKET_NAME } = readConfig(['TABLE_NAME', 'MEDIA_BUCKET_NAME']);
const presignThumbnail = (key: string) => presignGet(MEDIA_BUCKET_NAME, key);

export const handler = httpRoute(contentRoutes, 'ListContent', async ({ userId, params, query }) => {
  const page = await listContent(TABLE_NAME, userId, params.id, query);
  const items = await Promise.all(page.items.map((item) => contentView(item, presignThumbnail)));
  return new Reply(items, { nextCursor: page.nextCursor });
});
