# Harbor HA Deployer: runs "$@" under a UTF-8 locale. Harbor 1.5's prepare is Python 2, which reads harbor.cfg as
# ASCII under the C locale and dies with UnicodeDecodeError on any non-ASCII value; a non-interactive SSH command
# usually has no LANG at all. C.UTF-8 where the node has it (Debian, Ubuntu, EL8+), else en_US.UTF-8 (CentOS 7 has
# no C.UTF-8), else any UTF-8 locale; with none, the command runs in the locale it was given.
pick= en= any=
for l in $(locale -a 2>/dev/null); do
  case "$l" in
    C.utf8 | C.UTF-8) pick=$l; break ;;
    en_US.utf8 | en_US.UTF-8) [ -n "$en" ] || en=$l ;;
    *.utf8 | *.UTF-8) [ -n "$any" ] || any=$l ;;
  esac
done
pick=${pick:-${en:-$any}}
if [ -n "$pick" ]; then
  LANG=$pick LC_ALL=$pick
  export LANG LC_ALL
fi
exec "$@"
