#!/usr/bin/env bash
# Adds a user to a Payara file-realm keyfile, or changes an existing user's password and groups, with Payara's
# own class (FileRealmStorageManager, what `asadmin create-file-user` runs), taken from the Payara Micro jar.
#   deploy/payara-file-user.sh payara-micro.jar /etc/porthole/keyfile alice porthole-exec
# Groups (colon-separated) map to Porthole's roles in the WAR's WEB-INF/glassfish-web.xml: porthole-exec,
# porthole-admin. The password is read from the terminal, never from the command line. Needs a JDK (jshell).
# On a full Payara Server use its own command instead:
#   asadmin create-file-user --groups porthole-exec alice
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: $0 payara-micro.jar keyfile user group[:group...]" >&2; exit 2; }
jar=$1 keyfile=$2 user=$3 groups=$4
read -r -s -p "password for $user: " PORTHOLE_NEW_PASSWORD && echo
export PORTHOLE_NEW_PASSWORD
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT
unzip -q -o "$jar" MICRO-INF/runtime/common-util.jar -d "$work"
cat > "$work/add.jsh" <<JSH
var realm = new org.glassfish.security.common.FileRealmStorageManager("$keyfile");
var password = System.getenv("PORTHOLE_NEW_PASSWORD").toCharArray();
var groups = "$groups".split(":");
if (realm.getUser("$user") == null) realm.addUser("$user", password, groups); else realm.updateUser("$user", "$user", password, groups);
realm.persist();
/exit
JSH
jshell --class-path "$work/MICRO-INF/runtime/common-util.jar" "$work/add.jsh"
echo "$user is in $keyfile with groups $groups"
