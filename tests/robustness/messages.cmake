# SPDX-License-Identifier: GPL-2.0-only
# Robustness cases of what the program's messages show (see CMakeLists.txt
# for smmusim_case()): a word echoed in an error is cut when it is long, and
# a configuration value of a type no parameter takes says what is expected.

# A long word is shown as its first 40 characters, "..." and its length
# (sim/complain.h), in a trace and in --set. (CMake's regexes have no
# {n}: the runs of 40, 41 and 64 characters are spelt out.)
string(REPEAT "W" 40 w40)
string(REPEAT "k" 40 k40)
string(REPEAT "k" 64 k64)
smmusim_case(M01_long_unknown_word EXIT 2
  STDERR "M01_long_unknown_word\\.trace:4:1: unknown operation '${w40}\\.\\.\\.' \\(1000 characters\\)"
  NOT_STDERR "${w40}W")
smmusim_case(T01_minimal AS M02_long_set_key EXIT 2
  ARGS --set kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk=1
  STDERR "--set: unknown parameter '${k40}\\.\\.\\.' \\(100 characters\\)"
  NOT_STDERR "${k40}k")
# A word of 64 characters is still shown whole.
smmusim_case(T01_minimal AS M02_set_key_of_64 EXIT 2
  ARGS --set kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk=1
  STDERR "--set: unknown parameter '${k64}' \\(`smmusim params`")
# An output's path of thousands of characters is cut as a long word is (it
# was printed whole); a path of a checkout's length is shown whole.
string(REPEAT "d" 5000 d5000)
string(REPEAT "d" 40 d40)
smmusim_case(T01_minimal AS M04_long_output_path_cut EXIT 2
  ARGS --stats ${d5000}/s.json
  STDERR "^smmusim: --stats '${d40}\\.\\.\\.' \\(5007 characters\\): cannot be created: File name too long\n$"
  NOT_STDERR "${d40}d")

# A study's parameter given to `run` is named as one, with how a study takes
# it (it was "unknown parameter"), whether the study has that key or not.
smmusim_case(T01_minimal AS M05_run_set_study_key EXIT 2
  ARGS --set study.repeats=3
  STDERR "--set study\\.repeats=3: study\\.\\* keys are the studies' parameters, not the simulator's: a study takes them \\(smmusim study vcmdq-vs-trap --set study\\.repeats=3; `smmusim params` lists them\\), `run` does not"
  NOT_STDERR "unknown parameter")
smmusim_case(T01_minimal AS M05_run_set_study_unknown_key EXIT 2
  ARGS --set smmu.clock_mhz=1000 --set study.nonsense=1
  STDERR "--set study\\.nonsense=1: study\\.\\* keys are the studies' parameters"
  NOT_STDERR "unknown parameter")

# TOML values no parameter takes: the key's expected type, or that it is no
# parameter.
smmusim_case(T01_minimal AS M03_toml_array_value EXIT 2
  FILES "c.toml=[smmu]\nclock_mhz = [1, 2]"
  ARGS --config %WORK%/c.toml
  STDERR "c\\.toml:2:13: smmu\\.clock_mhz expects integer \\(a whole number, e\\.g\\. 1000 or 0x1000\\), got an array")
smmusim_case(T01_minimal AS M03_toml_date_value EXIT 2
  FILES "c.toml=[smmu.idr]\ns1p = 2024-01-01"
  ARGS --config %WORK%/c.toml
  STDERR "c\\.toml:2:7: smmu\\.idr\\.s1p expects boolean \\(true or false\\), got a date or time")
smmusim_case(T01_minimal AS M03_toml_array_of_tables EXIT 2
  FILES "c.toml=[[smmu]]\nclock_mhz = 1"
  ARGS --config %WORK%/c.toml
  STDERR "c\\.toml:1:1: smmu is an array of tables, which no parameter takes \\(parameters are numbers, strings and booleans")

# A key that was replaced says what replaced it (session 17:
# cmdqv.sev_on_cons became cmdqv.vcmdq.sev, docs/model-changes.md).
smmusim_case(T01_minimal AS M06_retired_key EXIT 2
  ARGS --set cmdqv.sev_on_cons=true
  STDERR "--set: parameter 'cmdqv\\.sev_on_cons' no longer exists: cmdqv\\.vcmdq\\.sev replaced it \\(true was 'cons', false 'none'; the default is 'sync', docs/model-changes\\.md\\)"
  NOT_STDERR "unknown parameter")
