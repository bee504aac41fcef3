import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors } from '../../core/schemas';
import { checklist, CHECKLIST_ITEMS } from './checklist.service';

const ZChecklist = z
  .object({
    items: z.array(z.object({ id: z.enum(CHECKLIST_ITEMS), done: z.boolean(), link: z.string() })),
    doneCount: z.number().int(),
    totalCount: z.number().int(),
  })
  .meta({ id: 'AccountChecklist' });

export const checklistRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/account/checklist', {
    config: { permission: 'account.read' },
    schema: {
      tags: ['account'],
      summary: 'What remains to complete the company profile, in order, each item with the page that fixes it',
      response: { 200: ZChecklist, ...errors(401, 403) },
    },
  }, async (req) => checklist(req.ctx));
};
