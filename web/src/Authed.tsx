// Everything a logged-in user's screens need and the login form does not: the shell. Loaded
// lazily by App.tsx, so the first download of every visit (the entry: React, the router, the
// strings, the login form) carries no shell; main.tsx fetches this chunk beside
// GET /api/v1/session. The shell and the first screens are drawn by the light kit (src/ui):
// antd arrives only with a page or dialog that needs it (src/antd, issue 15).
import { Suspense } from 'react';
import Shell from './Shell';
import { Splash } from './Splash';
import { lazyAntd } from './antd';

const ForcedPasswordChange = lazyAntd(() => import('./pages/Account').then((m) => ({ default: m.ForcedPasswordChange })));

export default function Authed({ mustChangePassword }: { mustChangePassword: boolean }) {
  return mustChangePassword ? (
    <Suspense fallback={<Splash />}>
      <ForcedPasswordChange />
    </Suspense>
  ) : (
    <Shell />
  );
}
