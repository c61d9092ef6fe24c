#!/usr/bin/env bash
# Regenerates docs/examples/*.md: what `curbside ask` prints with default settings on the starter pack.
# Usage: bash scripts/make_examples.sh   (uses your curbside data directory; installs the pack if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/examples

ask() {  # ask FILE AUDIENCE QUESTION
  curbside ask "$3" --audience "$2" --format markdown 2>/dev/null | sed '/^thread [0-9a-f]*: ask a follow-up/d' > "$out/$1"
  echo "wrote $out/$1"
}

ask seed-000-management-calf-calcification.md clinician \
  "What is the appropriate management for non-specific calcifications in the soft tissue of the inferior right calf?"
ask seed-001-meaning-calf-calcification-xray.md clinician \
  "What does non-specific calcification in the calf seen on X-ray mean?"
ask seed-002-meaning-leg-xray-calcifications.md clinician \
  "What does it mean to have non-specific calcifications in the soft tissue on a leg X-ray (X-ray)"
ask seed-003-initial-management-foot-calcification.md clinician \
  "What is the initial management for soft tissue calcification in the foot?"
ask seed-004-consult-calcified-lump-patient.md patient \
  "Subcutaneous tissue of the calf? There is a lump about 0.2 cm under my calf skin. I went to a medical center for an ultrasound, and the doctor said it has calcified and is benign, advising me to return if it gets larger. What could that lump generally be? What does calcification mean?"
ask covered-initial-management-gout.md clinician "What is the initial management of gout?"
ask covered-prevent-kidney-stones-patient.md patient "How can I prevent kidney stones?"
ask covered-ibuprofen-dose-patient.md patient "How much ibuprofen can an adult take in one day?"
ask covered-gout-patient.md patient "What is gout?"
