# The lab's stand-in for running an image it can run (Harbor's prepare image, distribution as Harbor's registry): a
# private mount namespace whose root is a tmpfs holding this machine's /usr and libraries, a private copy-on-write
# /etc, the image's application folder at /usr/src/app, and the run's bind mounts at their container paths; then
# COMMAND with the image's LANG=en_US.UTF-8.
# Run as root inside `unshare --mount --propagation private`, so nothing mounted here is seen outside.
#   container.sh APPDIR|- [HOSTPATH CONTAINERPATH ro|rw]... -- COMMAND [ARG]...
# APPDIR `-`: the image has no application folder; COMMAND runs in /.
# $LAB_CONTAINER_HOSTS: lines appended to the container's /etc/hosts (what Docker's DNS answers for the compose
#   project's service names). The root is made under $LAB_CONTAINER_PARENT (default /tmp).
set -e
app=$1
shift
root=$(mktemp -d "${LAB_CONTAINER_PARENT:-/tmp}/.lab-container-XXXXXX")
mount -t tmpfs -o mode=0755 tmpfs "$root"
for d in usr bin sbin lib lib32 lib64 libx32; do
  if [ -L "/$d" ]; then
    ln -s "$(readlink "/$d")" "$root/$d"
  elif [ -d "/$d" ]; then
    mkdir "$root/$d" && mount --rbind "/$d" "$root/$d"
  fi
done
# /etc copy-on-write: a mount point the run needs under /etc (e.g. /etc/registry) and the hosts lines stay in here
etc=$(mktemp -d "${LAB_CONTAINER_PARENT:-/tmp}/.lab-container-etc-XXXXXX")
mount -t tmpfs -o mode=0755 tmpfs "$etc"
mkdir "$etc/upper" "$etc/work" "$root/etc"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$etc/upper,workdir=$etc/work" "$root/etc"
if [ -n "${LAB_CONTAINER_HOSTS:-}" ]; then printf '%s\n' "$LAB_CONTAINER_HOSTS" >>"$root/etc/hosts"; fi
mkdir -p "$root/dev" "$root/proc" "$root/tmp" "$root/harbor_make"
mount --rbind /dev "$root/dev"
mount --rbind /proc "$root/proc"
workdir=/
if [ "$app" != - ]; then
  mount -t tmpfs -o mode=0755 tmpfs "$root/usr/src"
  mkdir "$root/usr/src/app"
  mount --bind "$app" "$root/usr/src/app"
  workdir=/usr/src/app
fi
while [ "$1" != -- ]; do
  # a file is mounted onto a file (created if missing, as Docker does), a directory onto a directory
  if [ -d "$1" ]; then
    mkdir -p "$root$2"
  else
    mkdir -p "$(dirname "$root$2")"
    [ -e "$root$2" ] || : >"$root$2"
  fi
  mount --rbind "$1" "$root$2"
  if [ "$3" = ro ]; then mount -o remount,bind,ro "$root$2"; fi
  shift 3
done
shift
cd "$root"
exec chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=en_US.UTF-8 HOME=/root \
  sh -c 'cd "$0" && exec "$@"' "$workdir" "$@"
