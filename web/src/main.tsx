import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from './i18n';
import App from './App';
import './global.css';
import { registerServiceWorker } from './offline/register';
import { preloadPath } from './pageLoaders';
import { prefetch } from './api';

registerServiceWorker();

// The session (its CSRF token and the user) is the first thing every start needs: ask now, while
// React and the app's code start, instead of after the first render (auth.tsx reads the answer).
prefetch('/session');

// A reload or a new tab on a page of the app (a session is likely): fetch the shell's and the
// page's code now, beside GET /api/v1/session, instead of one after the other once it answers.
if (window.location.pathname !== '/') {
  void import('./Authed').catch(() => undefined);
  preloadPath(window.location.pathname);
}

// The first render as a transition: React renders in slices and lets the browser paint between them.
startTransition(() => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <I18nProvider>
        <App />
      </I18nProvider>
    </StrictMode>,
  );
});
