<?php
// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * check-eas test server: the test's view of Horde's ActiveSync state.
 *
 *   CHECK_EAS_HORDE_CONF=FILE php admin.php COMMAND [ARGS]
 *
 *   init              create the state database with the migrations that
 *                     php-horde-activesync ships (its real schema)
 *   count USER        number of device partnerships of USER
 *                     (rows of horde_activesync_device_users)
 *   devices [USER]    one line per partnership: device id, user, type,
 *                     policy key, remote wipe status
 *   policykey DEVID   the policy key Horde stored for DEVID
 *   wipe DEVID        request a remote wipe (what Horde's admin and user
 *                     "wipe" buttons do: rwstatus = RWSTATUS_PENDING)
 *   block DEVID [USER] / unblock DEVID [USER]
 *                     set or clear the device's "blocked" property (Horde's
 *                     admin "block" action)
 *   remove DEVID [USER]   remove the partnership and its state
 */

require_once __DIR__ . '/bootstrap.php';

const MIGRATIONS = '/usr/share/php/data/Horde_ActiveSync/migration';

function usage()
{
    fwrite(STDERR, "usage: admin.php init|count USER|devices [USER]|policykey DEVID|wipe DEVID|block DEVID [USER]|unblock DEVID [USER]|remove DEVID [USER]\n");
    exit(2);
}

$conf = check_eas_horde_config();
$cmd = isset($argv[1]) ? $argv[1] : usage();
$arg = isset($argv[2]) ? $argv[2] : null;
$arg2 = isset($argv[3]) ? $argv[3] : null;

switch ($cmd) {
case 'init':
    $db = check_eas_horde_db($conf);
    $migrator = new Horde_Db_Migration_Migrator($db, null, array(
        'migrationsPath' => MIGRATIONS,
        'schemaTableName' => 'horde_activesync_schema_info'));
    $migrator->up();
    echo 'schema version ', $migrator->getCurrentVersion(), "\n";
    break;

case 'count':
    if ($arg === null) {
        usage();
    }
    $db = check_eas_horde_db($conf);
    echo (int)$db->selectValue(
        'SELECT COUNT(*) FROM horde_activesync_device_users WHERE device_user = ?',
        array($arg)), "\n";
    break;

case 'devices':
    $db = check_eas_horde_db($conf);
    $sql = 'SELECT u.device_id, u.device_user, d.device_type, u.device_policykey, d.device_rwstatus'
        . ' FROM horde_activesync_device_users u'
        . ' LEFT JOIN horde_activesync_device d ON d.device_id = u.device_id';
    $values = array();
    if ($arg !== null) {
        $sql .= ' WHERE u.device_user = ?';
        $values[] = $arg;
    }
    foreach ($db->selectAll($sql . ' ORDER BY u.device_id', $values) as $row) {
        echo implode("\t", array_values($row)), "\n";
    }
    break;

case 'policykey':
    if ($arg === null) {
        usage();
    }
    $state = check_eas_horde_state($conf);
    $state->loadDeviceInfo(Horde_String::upper($arg), $conf['user']);
    echo $state->getPolicyKey(Horde_String::upper($arg)), "\n";
    break;

case 'wipe':
    if ($arg === null) {
        usage();
    }
    check_eas_horde_state($conf)->setDeviceRWStatus(Horde_String::upper($arg), Horde_ActiveSync::RWSTATUS_PENDING);
    break;

case 'block':
case 'unblock':
    if ($arg === null) {
        usage();
    }
    $state = check_eas_horde_state($conf);
    $device = $state->loadDeviceInfo(Horde_String::upper($arg), $arg2 === null ? $conf['user'] : $arg2);
    $device->blocked = ($cmd == 'block');
    $device->save();
    break;

case 'remove':
    if ($arg === null) {
        usage();
    }
    check_eas_horde_state($conf)->removeState(array(
        'devId' => Horde_String::upper($arg),
        'user' => $arg2 === null ? $conf['user'] : $arg2));
    break;

default:
    usage();
}
