#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The benchmark's peer for check_eas_sync: the same requests (OPTIONS,
# Provision twice, FolderSync, Settings) made the way script-based EAS
# checks make them, one curl process per request, bodies made with
# xml2wbxml and answers read with wbxml2xml (libwbxml2-utils).
#   eas-curl-sync.sh URL USER PASSWORD_FILE CA_FILE
# Exit 0 when every step answered status 1, 2 otherwise.
set -u
url=$1 user=$2 pwfile=$3 ca=$4
dir=$(mktemp -d) || exit 3
trap 'rm -rf "$dir"' EXIT
pw=$(head -n1 "$pwfile")
dev=CURLSCRIPT0001
curl_eas() { # CMD XML [KEY] -> answer XML on stdout
	local args=(-s --cacert "$ca" -u "$user:$pw" -H "MS-ASProtocolVersion: 14.1"
		-H 'Content-Type: application/vnd.ms-sync.wbxml')
	[ -n "${3:-}" ] && args+=(-H "X-MS-PolicyKey: $3")
	printf '<?xml version="1.0"?>\n<!DOCTYPE ActiveSync PUBLIC "-//MICROSOFT//DTD ActiveSync//EN" "http://www.microsoft.com/">\n%s\n' "$2" > "$dir/req.xml"
	xml2wbxml -n -a -v 1.3 -o "$dir/req.wbxml" "$dir/req.xml" > /dev/null 2>&1 || return 1
	curl "${args[@]}" --data-binary "@$dir/req.wbxml" -o "$dir/resp.wbxml" \
		"$url?Cmd=$1&User=$user&DeviceId=$dev&DeviceType=CheckEAS" || return 1
	wbxml2xml -l ACTIVESYNC -m 1 -i 0 -o "$dir/resp.xml" "$dir/resp.wbxml" > /dev/null 2>&1 || return 1
	cat "$dir/resp.xml"
}
tag() { grep -o "<$1>[^<]*</$1>" | head -n1 | sed "s|<$1>\\(.*\\)</$1>|\\1|"; }

curl -s -o /dev/null -X OPTIONS --cacert "$ca" -u "$user:$pw" "$url" || exit 2
P='<Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType>'
temp=$(curl_eas Provision "<Provision xmlns=\"Provision:\">$P</Policy></Policies></Provision>" | tag PolicyKey)
[ -n "$temp" ] || exit 2
key=$(curl_eas Provision "<Provision xmlns=\"Provision:\">$P<PolicyKey>$temp</PolicyKey><Status>1</Status></Policy></Policies></Provision>" "$temp" | tag PolicyKey)
[ -n "$key" ] || exit 2
status=$(curl_eas FolderSync '<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>' "$key" | tag Status)
[ "$status" = 1 ] || exit 2
status=$(curl_eas Settings '<Settings xmlns="Settings:"><UserInformation><Get/></UserInformation></Settings>' "$key" | tag Status)
[ "$status" = 1 ] || exit 2
exit 0
