#!/usr/bin/env bash
# Lint, called by scripts/test.sh (issue 13, part 5). Two checks, both failing the run:
#   format  clang-format (.clang-format) on the C++ lines changed against a base commit, with
#           git clang-format: only what a branch touches is checked, nothing is reformatted
#           wholesale. Base: LINT_BASE, else the merge base with main (on main itself: HEAD^,
#           what the last commit or merge brought).
#   tidy    clang-tidy (.clang-tidy: every enabled check is an error) on every src/ file of
#           build/debug/compile_commands.json (configure it: cmake --preset debug), JOBS at a time.
#           LINT_TIDY=changed limits it to the src/ files changed against the base; LINT_TIDY=off skips it.
# Usage: scripts/lint.sh [format|tidy]...   (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=("$@")
((${#STEPS[@]})) || STEPS=(format tidy)
JOBS="${JOBS:-$(nproc)}"
status=0

base() {
  if [[ -n ${LINT_BASE:-} ]]; then echo "$LINT_BASE"; return; fi
  local branch mb
  branch="$(git rev-parse --abbrev-ref HEAD)"
  if [[ $branch != main ]] && mb="$(git merge-base HEAD main 2>/dev/null)" && [[ $mb != "$(git rev-parse HEAD)" ]]; then
    echo "$mb"
  else
    git rev-parse HEAD^
  fi
}

changed_cpp() {  # C++ files changed (committed or not) against the base, still present
  git diff --name-only --diff-filter=ACMR "$1" -- 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' \
    'bench/*.cpp' 'fuzz/*.cpp' | while read -r f; do [[ -f $f ]] && echo "$f"; done
}

for step in "${STEPS[@]}"; do
  case $step in
    format)
      B="$(base)"
      mapfile -t files < <(changed_cpp "$B")
      echo "lint: clang-format on the lines changed since $(git rev-parse --short "$B") (${#files[@]} files)"
      if ((${#files[@]})); then
        out="$(git clang-format --binary clang-format --diff --extensions cpp,h "$B" -- "${files[@]}" 2>&1 || true)"
        if [[ -n $out && $out != *"did not modify any files"* && $out != *"no modified files to format"* ]]; then
          echo "$out"
          echo "lint: format FAILED: apply with  git clang-format $B" >&2
          status=1
        fi
      fi
      ;;
    tidy)
      [[ ${LINT_TIDY:-all} == off ]] && { echo "lint: clang-tidy skipped (LINT_TIDY=off)"; continue; }
      DB=build/debug
      [[ -f $DB/compile_commands.json ]] || cmake --preset debug >/dev/null
      # generated sources (embedded.cpp, migrations.cpp) need to exist; they are not linted
      if [[ ${LINT_TIDY:-all} == changed ]]; then
        mapfile -t files < <(changed_cpp "$(base)" | grep '^src/.*\.cpp$' || true)
        pattern=""
        for f in "${files[@]+"${files[@]}"}"; do pattern+="${pattern:+|}$PWD/$f"; done
        [[ -n $pattern ]] || { echo "lint: clang-tidy: no src/ file changed"; continue; }
      else
        pattern="$PWD/src/"
      fi
      t0=$SECONDS
      log="$DB/clang-tidy.log"
      if run-clang-tidy -quiet -p "$DB" -j "$JOBS" "$pattern" >"$log" 2>&1 \
          && ! grep -qE '(warning|error): ' "$log"; then
        echo "lint: clang-tidy clean on $(grep -c '^clang-tidy' "$log" || true) files of src/ in $((SECONDS - t0)) s"
      else
        grep -E -A3 '(warning|error): ' "$log" | head -200
        echo "lint: clang-tidy FAILED (whole log: $log)" >&2
        status=1
      fi
      ;;
    *) echo "usage: scripts/lint.sh [format|tidy]..." >&2; exit 2 ;;
  esac
done
exit $status
