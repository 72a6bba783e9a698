// Renders its children once their place comes near the screen (IntersectionObserver), and a
// placeholder of the given height until then. Work below the first screen (a chart's library
// and drawing, a feed's requests) then costs the first load nothing (issue 15).
import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * `ready` false: the page above is still loading (its skeletons are shorter than its content),
 * so nearness is not yet known and nothing is rendered.
 */
export default function WhenVisible({ height, children, margin = '200px', ready = true }: { height: number; children: ReactNode; margin?: string; ready?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const [seen, setSeen] = useState(() => typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const el = ref.current;
    if (seen || !el || !ready) return;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          setSeen(true);
          io.disconnect();
        }
      },
      { rootMargin: margin },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [seen, margin, ready]);
  if (seen) return <>{children}</>;
  return <div ref={ref} style={{ height }} aria-hidden="true" />;
}
