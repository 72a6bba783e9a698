// The team picker of the manager's pages (Diagnosis) and whose teams a manager runs, apart from
// Team.tsx so that a page needing only these does not load the Team page's code.
import type { Team } from '../api';
import { useMe } from '../auth';
import { useI18n } from '../i18n';
import { useTeams } from '../hooks';
import { Select } from '../ui';

/** Teams the manager runs (and their sub-teams); every team for an admin. */
export function myTeams(teams: Team[], meId: number, role: string): Team[] {
  if (role === 'admin') return teams;
  const roots = teams.filter((t) => t.manager_id === meId).map((t) => t.id);
  const out = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of teams) if (t.parent_id && out.has(t.parent_id) && !out.has(t.id)) { out.add(t.id); grew = true; }
  }
  return teams.filter((t) => out.has(t.id));
}

export function TeamSelect({ value, onChange }: { value?: number; onChange: (v?: number) => void }) {
  const me = useMe();
  const { t } = useI18n();
  const { teams } = useTeams();
  const mine = myTeams(teams, me.id, me.role);
  if (mine.length < 2) return null;
  return (
    <Select
      allowClear
      style={{ minWidth: 160 }}
      placeholder={t('team.allTeams')}
      aria-label={t('team.col.team')}
      value={value}
      onChange={onChange}
      options={mine.map((tm) => ({ value: tm.id, label: tm.name }))}
    />
  );
}
