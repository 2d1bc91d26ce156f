import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by the gateway at /console; the bundle lands in the jar as classpath:/deltaplane-console/.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'target/classes/deltaplane-console',
    emptyOutDir: true,
    // No inline scripts or data: URLs for scripts: the CSP allows 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
});
