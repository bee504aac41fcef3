import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const backend = 'http://localhost:3000';

export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    proxy: {
      '/v1': backend,
      '/healthz': backend,
      '/readyz': backend,
      '/openapi.json': backend,
      '/docs': backend,
    },
  },
});
