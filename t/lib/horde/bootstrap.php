<?php
// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * check-eas test server: shared set-up for index.php (the ActiveSync
 * endpoint) and admin.php (the test's command-line access to the state).
 *
 * Loads Horde's libraries from Debian's php-horde-* packages (PEAR layout
 * below the include_path, /usr/share/php), reads the test's configuration
 * (an ini file named by $CHECK_EAS_HORDE_CONF) and opens Horde's
 * ActiveSync state: Horde_ActiveSync_State_Sql over Horde_Db on sqlite.
 */

spl_autoload_register(function ($class) {
    $file = str_replace(array('\\', '_'), '/', $class) . '.php';
    if ($path = stream_resolve_include_path($file)) {
        require_once $path;
    }
});

/* Horde_ActiveSync throws Horde_Exception_AuthenticationFailure for a
 * refused login; in Debian 12 that class ships with php-horde-core (all of
 * Horde's framework), not with php-horde-exception. Define the same
 * trivial class when it is not installed. */
if (!class_exists('Horde_Exception_AuthenticationFailure')) {
    class Horde_Exception_AuthenticationFailure extends Horde_Exception
    {
    }
}

/**
 * The test configuration, with defaults. Keys (all optional but state_db):
 *   state_db   sqlite file holding Horde's ActiveSync state
 *   log        Horde's ActiveSync protocol log (one file for all devices)
 *   user, password, email, fullname   the single account
 *   provisioning  force | loose | none   (Horde_ActiveSync::PROVISIONING_*)
 *   policy_*   device policy values, e.g. policy_DevicePasswordEnabled=1
 *   version    highest EAS version the server offers (Horde's "version"
 *              setting: 2.5, 12.0, 12.1, 14.0, 14.1, 16.0)
 *   inbox_count   number of messages in the Inbox (uids 1..N)
 *   blocked_devices   comma-separated device ids refused by deviceCallback
 *   heartbeat_min, heartbeat_max   the Ping heartbeats the server accepts
 *              (Horde's default range: 60 to 2700 s); the tests lower the
 *              minimum so that a Ping held to its end takes seconds
 *   ping_wait  seconds between two looks at the store during a Ping
 */
function check_eas_horde_config()
{
    static $conf;
    if (isset($conf)) {
        return $conf;
    }
    $file = getenv('CHECK_EAS_HORDE_CONF');
    if ($file === false || $file === '' || !is_readable($file)) {
        throw new RuntimeException('CHECK_EAS_HORDE_CONF does not name a readable file');
    }
    $ini = parse_ini_file($file, false, INI_SCANNER_RAW);
    if ($ini === false) {
        throw new RuntimeException("cannot parse $file");
    }
    $conf = $ini + array(
        'log' => '',
        'log_level' => 'META',
        'user' => 'user@example.com',
        'password' => 's3cret pass',
        'email' => 'user@example.com',
        'fullname' => 'Test User',
        'provisioning' => 'force',
        'version' => Horde_ActiveSync::VERSION_SIXTEEN,
        'inbox_count' => '3',
        'blocked_devices' => '',
        'heartbeat_min' => '60',
        'heartbeat_max' => '2700',
        'ping_wait' => '10',
    );
    /* The vhost says the proxy in front authenticated the user
     * (t/lib/vhost-horde-oauth.conf): trust REMOTE_USER, no password. */
    $conf['trust_remote_user'] = getenv('CHECK_EAS_HORDE_TRUST_REMOTE_USER') === '1';
    if (empty($conf['state_db'])) {
        throw new RuntimeException("$file: state_db is not set");
    }
    return $conf;
}

/** The Horde_Db adapter on the state file. */
function check_eas_horde_db(array $conf)
{
    return new Horde_Db_Adapter_Pdo_Sqlite(array('dbname' => $conf['state_db']));
}

/** Horde's SQL state driver (the one Horde uses with its SQL storage). */
function check_eas_horde_state(array $conf)
{
    return new Horde_ActiveSync_State_Sql(array('db' => check_eas_horde_db($conf)));
}
