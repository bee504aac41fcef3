import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

// Skeleton: the routes of this module are being written (see the module's service for the design).
export const priceListRoutes: FastifyPluginAsyncZod = async () => {};
