# SPDX-License-Identifier: GPL-2.0-only
# Robustness cases of the command line (see CMakeLists.txt for
# smmusim_case()): CLI11's own errors (an unknown option, a missing value, a
# bad number, a file that is not there) said as the program's other errors
# are: one line "smmusim: COMMAND: ...", a long word of the command line cut
# (sim/complain.h), where to read the usage, exit status 2. They were
# CLI11's two lines without the program's name, and a word of any length.
smmusim_case(T01_minimal AS C01_unknown_option EXIT 2 PROGRAM_ARGS run %TRACE% --bogus
  STDERR "^smmusim: run: unknown option '--bogus' \\(smmusim run --help for more\\)\n$")
smmusim_case(T01_minimal AS C02_missing_value EXIT 2 PROGRAM_ARGS run %TRACE% --config
  STDERR "^smmusim: run: --config: 1 required [A-Z:]+ missing \\(smmusim run --help for more\\)\n$")
smmusim_case(T01_minimal AS C03_params_unknown_option EXIT 2 PROGRAM_ARGS params --markdwn
  STDERR "^smmusim: params: unknown option '--markdwn' \\(smmusim params --help for more\\)\n$")
smmusim_case(T01_minimal AS C04_trace_not_there EXIT 2 PROGRAM_ARGS run %WORK%/none.trace
  STDERR "^smmusim: run: trace: File does not exist: [^\n]*/none\\.trace \\(smmusim run --help for more\\)\n$")
smmusim_case(T01_minimal AS C05_study_name_missing EXIT 2 PROGRAM_ARGS study
  STDERR "^smmusim: study: name is required \\(smmusim study --help for more\\)\n$")
# A size that its unit takes past 2^64 - 1 is refused as typed (CLI11 spoke
# of "99999999999999999 multiplied by k factor").
smmusim_case(T01_minimal AS C06_size_unit_past_64_bits EXIT 2
  PROGRAM_ARGS study vcmdq-vs-trap --sizes 4K,99999999999999999K
  STDERR "^smmusim: study: --sizes: '99999999999999999K': a size is at most 2\\^64 - 1 bytes \\(smmusim study --help for more\\)\n$")
smmusim_case(T01_minimal AS C06_size_16_exbibytes EXIT 2 PROGRAM_ARGS study vcmdq-vs-trap --sizes 16E
  STDERR "^smmusim: study: --sizes: '16E': a size is at most 2\\^64 - 1 bytes")
# A long unknown option or path is cut as a long word of a trace is.
string(REPEAT "x" 100 x100)
string(REPEAT "x" 38 x38)
smmusim_case(T01_minimal AS C07_long_unknown_option_cut EXIT 2 PROGRAM_ARGS run %TRACE% --${x100}
  STDERR "^smmusim: run: unknown option '--${x38}\\.\\.\\.' \\(102 characters\\) \\(smmusim run --help for more\\)\n$")
smmusim_case(T01_minimal AS C07_long_missing_trace_cut EXIT 2 PROGRAM_ARGS run ${x100}.trace
  STDERR "^smmusim: run: trace: File does not exist: 'x+\\.\\.\\.' \\(106 characters\\) \\(smmusim run --help for more\\)\n$"
  NOT_STDERR "${x100}")
# Arguments CLI11 did not expect, in the command line's order (it listed
# them in reverse: "x.json --json"), an unknown option among them named
# first, without its =value.
smmusim_case(T01_minimal AS C12_unknown_option_and_its_value EXIT 2 PROGRAM_ARGS run %TRACE% --json x.json
  STDERR "^smmusim: run: unknown option '--json'; also not expected: x\\.json \\(smmusim run --help for more\\)\n$")
smmusim_case(T01_minimal AS C12_value_before_unknown_option EXIT 2 PROGRAM_ARGS run %TRACE% x.json --json
  STDERR "^smmusim: run: unknown option '--json'; also not expected: x\\.json \\(")
smmusim_case(T01_minimal AS C12_unknown_option_with_equals EXIT 2 PROGRAM_ARGS run %TRACE% --json=x.json
  STDERR "^smmusim: run: unknown option '--json' \\(in '--json=x\\.json'\\) \\(smmusim run --help for more\\)\n$")
smmusim_case(T01_minimal AS C12_extra_arguments_in_order EXIT 2 PROGRAM_ARGS run %TRACE% a.trace b.trace
  STDERR "^smmusim: run: the following arguments were not expected: a\\.trace b\\.trace \\(smmusim run --help for more\\)\n$")
# A --set number of more than 64 bits does not fit (as the trace's numbers
# say), not "expects integer".
smmusim_case(T01_minimal AS C13_set_number_past_64_bits EXIT 2 ARGS --set smmu.clock_mhz=99999999999999999999999
  STDERR "^smmusim: --set: smmu\\.clock_mhz = 99999999999999999999999 does not fit in 64 bits \\(at most 0xffffffffffffffff; the range is \\[1, 10000\\]\\)\n$")

# No command, or an option before it that the program does not take: said so
# (CLI11 said "A subcommand is required" to both).
smmusim_case(T01_minimal AS C08_option_before_command EXIT 2 PROGRAM_ARGS --bogus run %TRACE%
  STDERR "^smmusim: unknown option '--bogus' before the command \\(commands: run, params, study, help; --help for more\\)\n$")
# A configuration that is no regular file: /dev/zero was read as an empty
# configuration (the run passed with the defaults), a pipe was "File could
# not be opened for reading" at 0:0.
smmusim_case(T01_minimal AS C09_config_is_a_device EXIT 2 ARGS --config /dev/zero
  STDERR "^smmusim: --config /dev/zero: not a regular file \\(a character device\\): a configuration is read from a file; save it to one and give that\n$")
smmusim_case(T01_minimal AS C09_study_config_is_a_device EXIT 2 PROGRAM_ARGS study vcmdq-vs-trap --config /dev/zero
  STDERR "^smmusim: --config /dev/zero: not a regular file \\(a character device\\)")
# smmusim_launcher_case(NAME REGEX ARG...): the launcher `./smmusim ARG...`
# (for what it refuses before it installs, configures or builds anything),
# its stderr and "exit=STATUS" matched by REGEX.
function(smmusim_launcher_case name regex)
  list(JOIN ARGN " " args)
  add_test(NAME Robustness.${name} COMMAND sh -c "\"$0\" ${args} 2>&1; echo exit=$?" ${PROJECT_SOURCE_DIR}/smmusim)
  set_tests_properties(Robustness.${name} PROPERTIES TIMEOUT 60 LABELS robustness PASS_REGULAR_EXPRESSION "${regex}")
endfunction()
# The launcher's commands that take no arguments refuse one (before it
# installs, configures or builds anything): `./smmusim test --bogus` ran
# the whole test, `kernel-manifest --bogus` printed the manifest.
foreach(c test fuzz kernel-manifest)
  smmusim_launcher_case(C10_launcher_${c}_extra_argument
    "^smmusim: error: ${c} takes no arguments, got '--bogus' \\(\\./smmusim help\\)\nexit=2\n$" ${c} --bogus)
endforeach()
# The program's own `help` (the launcher's `./smmusim help` is the
# launcher's usage): the usage --help prints, exit 0; `help COMMAND` that
# command's; an unknown command or a second one is refused.
smmusim_case(T01_minimal AS C11_help EXIT 0 PROGRAM_ARGS help
  STDOUT "Usage: smmusim \\[OPTIONS\\] SUBCOMMAND" "\n  run +play a trace")
smmusim_case(T01_minimal AS C11_help_run EXIT 0 PROGRAM_ARGS help run
  STDOUT "Usage: smmusim run \\[OPTIONS\\]")
smmusim_case(T01_minimal AS C11_dash_dash_help EXIT 0 PROGRAM_ARGS --help
  STDOUT "Usage: smmusim \\[OPTIONS\\] SUBCOMMAND")
smmusim_case(T01_minimal AS C11_help_unknown_command EXIT 2 PROGRAM_ARGS help frob
  STDERR "^smmusim: help: unknown command 'frob' \\(commands: run, params, study, help\\)\n$")
smmusim_case(T01_minimal AS C11_help_two_commands EXIT 2 PROGRAM_ARGS help run params
  STDERR "^smmusim: help takes at most one command, got 'params' after 'run'\n$")
# `help` is a command as the others: in the usage and the "commands:"
# lists, with a usage of its own (`help help`, `help -h` said "unknown
# command").
smmusim_case(T01_minimal AS C11_help_in_usage EXIT 0 PROGRAM_ARGS --help
  STDOUT "\n  help +this usage, or COMMAND's")
smmusim_case(T01_minimal AS C11_help_help EXIT 0 PROGRAM_ARGS help help
  STDOUT "Usage: smmusim help \\[OPTIONS\\] \\[COMMAND\\]")
smmusim_case(T01_minimal AS C11_help_dash_h EXIT 0 PROGRAM_ARGS help -h
  STDOUT "Usage: smmusim help \\[OPTIONS\\] \\[COMMAND\\]")

# A file-size limit (ulimit -f) killed the program with SIGXFSZ and no
# word; ignored, a write fails with EFBIG and the program says what failed.
smmusim_case(xfsz_dram EXIT 2 FSIZE 50
  STDERR "cannot build the platform")
# An empty value after '=' is refused, naming the option: CLI11 took the
# next argument as the value (`run -q --vcd= victim.trace` wrote the VCD
# over the trace and ran the default one; `--stats= -q` wrote a file `-q`).
smmusim_case(T01_minimal AS C14_empty_vcd_before_trace EXIT 2 FILES victim.trace=mine
  PROGRAM_ARGS run -q --vcd= victim.trace
  STDERR "^smmusim: run: --vcd: an empty path \\(after the '=' in '--vcd='\\)\n$")
smmusim_case(T01_minimal AS C14_empty_stats_before_flag EXIT 2 PROGRAM_ARGS run --stats= -q %TRACE%
  STDERR "^smmusim: run: --stats: an empty path \\(after the '=' in '--stats='\\)\n$")
smmusim_case(T01_minimal AS C14_empty_timeline EXIT 2 PROGRAM_ARGS run --timeline= %TRACE%
  STDERR "^smmusim: run: --timeline: an empty path")
smmusim_case(T01_minimal AS C14_empty_config EXIT 2 PROGRAM_ARGS run --config= %TRACE%
  STDERR "^smmusim: run: --config: an empty path")
smmusim_case(T01_minimal AS C14_empty_set EXIT 2 PROGRAM_ARGS run --set= smmu.clock_mhz=1 %TRACE%
  STDERR "^smmusim: run: --set: an empty value \\(after the '=' in '--set='\\)\n$")
smmusim_case(T01_minimal AS C14_empty_study_json EXIT 2 PROGRAM_ARGS study vcmdq-vs-trap --json= -q
  STDERR "^smmusim: study: --json: an empty path")
smmusim_case(T01_minimal AS C14_empty_study_sizes EXIT 2 PROGRAM_ARGS study vcmdq-vs-trap --sizes= 4K
  STDERR "^smmusim: study: --sizes: an empty value")
# A flag takes no value: CLI11 took `--quiet=` as --quiet.
smmusim_case(T01_minimal AS C14_empty_flag_value EXIT 2 PROGRAM_ARGS run --quiet= %TRACE%
  STDERR "^smmusim: run: --quiet is a flag and takes no value \\(got '--quiet='\\)\n$")
# --version printed the version whatever followed it (exit 0).
smmusim_case(T01_minimal AS C14_version_then_word EXIT 2 PROGRAM_ARGS --version extra
  STDERR "^smmusim: --version takes nothing after it, got 'extra'\n$")
# After "--" an argument is no option: the file named --vcd= is the trace.
smmusim_case(T01_minimal AS C14_empty_equals_after_dash_dash EXIT 2 PROGRAM_ARGS run -- --vcd=
  STDERR "^smmusim: run: trace: File does not exist: --vcd=")
# An output's value forgotten before the trace: `run -q --stats X.trace`
# took the trace as the statistics path, wrote over it and ran the default
# trace (exit 0). An existing trace or configuration is no output.
smmusim_case(T01_minimal AS C15_output_onto_a_trace EXIT 2 FILES X.trace=mine
  PROGRAM_ARGS run -q --stats X.trace
  STDERR "^smmusim: --stats X\\.trace: X\\.trace is a trace \\(an input\\), not written over; did you mean `run X\\.trace --stats FILE\\.json`\\?\n$")
smmusim_case(T01_minimal AS C15_output_onto_a_configuration EXIT 2 FILES c.toml=mine
  PROGRAM_ARGS run %TRACE% --vcd c.toml
  STDERR "^smmusim: --vcd c\\.toml: c\\.toml is a configuration \\(an input\\), not written over; did you mean `--config c\\.toml --vcd FILE\\.vcd`\\?\n$")
# The launcher's `help COMMAND`: its usage for any of its commands, an
# unknown one refused as the program's `help` refuses it (it printed the
# usage, exit 0), before it installs or builds anything.
smmusim_launcher_case(C16_launcher_help_unknown_command
  "^smmusim: help: unknown command 'bogus' \\(commands: run, test, fuzz, bench, study, plot, sweep, kernel-manifest, params, version, help\\)\nexit=2\n$"
  help bogus)
smmusim_launcher_case(C16_launcher_help_command "^smmusim launcher: .*\nexit=0\n$" help study)

# IDR bits the model's decode rules need together: HYP implies S1P (EL2
# TLBIs are stage-1 TLBIs; the driver issues TLBI_EL2_ALL at reset when HYP
# is set, and boot.trace's CMD_SYNCs timed out). Refused before the run,
# naming the keys, whatever the trace.
smmusim_case(T01_minimal AS C17_hyp_without_s1p EXIT 2 ARGS --set smmu.idr.s1p=false
  STDERR "^smmusim: smmu\\.idr\\.hyp is on but smmu\\.idr\\.s1p is off: HYP implies S1P")
smmusim_case(T01_minimal AS C17_no_hyp_without_s1p EXIT 0 ARGS --set smmu.idr.s1p=false --set smmu.idr.hyp=false)
