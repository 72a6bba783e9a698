import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The UI is served by `tiejun serve` under a strict CSP (no inline scripts), so the
// build must emit only external module scripts. `npm run dev` proxies the API to a
// local `tiejun serve` on 127.0.0.1:8080.
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 900,
    modulePreload: { polyfill: false },
    rollupOptions: {
      output: {
        // Chunks under 20 kB are merged into their importers: a page's first load on a slow phone
        // connection pays a round trip per file, and the icon of each route was its own 1 kB file.
        experimentalMinChunkSize: 20_000,
        manualChunks(id) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts';
          if (id.includes('node_modules/react-dom') || id.includes('node_modules/react/') || id.includes('node_modules/scheduler')) return 'react';
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
