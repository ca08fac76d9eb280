<?php
// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * check-eas test server: the /Microsoft-Server-ActiveSync endpoint.
 *
 * Builds a Horde_ActiveSync server the way Horde's own factory does (WBXML
 * decoder on php://input, encoder on php://output, SQL state, the request
 * object) with the test driver, then plays the part of Horde's RPC layer
 * (Horde_Rpc_ActiveSync): OPTIONS/GET become the Options command, POST runs
 * Cmd, exceptions become HTTP statuses (401 + WWW-Authenticate for bad
 * credentials, 403 for blocked users/devices, 503 when the auth backend is
 * down, 400 for invalid requests, 500 otherwise), and the answer is sent
 * with a Content-Length.
 */

require_once __DIR__ . '/bootstrap.php';
require_once __DIR__ . '/Driver.php';
require_once __DIR__ . '/MailStore.php';

function check_eas_horde_status($code, $reason)
{
    header(sprintf('HTTP/1.1 %d %s', $code, $reason));
}

function check_eas_horde_log_exception($e)
{
    error_log(sprintf('check-eas horde: %s: %s', get_class($e), $e->getMessage()));
}

/** The answer to Horde_Exception_AuthenticationFailure, by its code. */
function check_eas_horde_auth_failed($e)
{
    switch ($e->getCode()) {
    case Horde_ActiveSync_Status::SERVER_ERROR_RETRY:
        check_eas_horde_status(503, 'Service Unavailable');
        break;
    case Horde_ActiveSync_Status::SYNC_NOT_ALLOWED:
    case Horde_ActiveSync_Status::DEVICE_BLOCKED_FOR_USER:
        check_eas_horde_status(403, 'Forbidden');
        break;
    default:
        check_eas_horde_status(401, 'Unauthorized');
        header('WWW-Authenticate: Basic realm="Horde ActiveSync"');
    }
}

/**
 * trust_remote_user (the vhost's CHECK_EAS_HORDE_TRUST_REMOTE_USER=1): the
 * proxy in front authenticated the request and set REMOTE_USER
 * (t/lib/vhost-horde-oauth.conf). Horde_ActiveSync reads
 * credentials only from PHP_AUTH_* or a Basic Authorization header, so
 * the proxy's user is handed over as PHP_AUTH_USER (the password is a
 * placeholder Horde needs non-empty; the driver ignores it) and any
 * Authorization header the client sent is dropped.
 */
function check_eas_horde_proxy_user()
{
    unset($_SERVER['HTTP_AUTHORIZATION'], $_SERVER['REDIRECT_HTTP_AUTHORIZATION']);
    $user = getenv('REMOTE_USER');
    if ($user === false || $user === '') {
        unset($_SERVER['PHP_AUTH_USER'], $_SERVER['PHP_AUTH_PW']);
        return;
    }
    $_SERVER['PHP_AUTH_USER'] = $user;
    $_SERVER['PHP_AUTH_PW'] = '(proxy)';
}

$content_type = 'application/vnd.ms-sync.wbxml';
ob_start(null, 1048576);
try {
    $conf = check_eas_horde_config();
    if (!empty($conf['trust_remote_user'])) {
        check_eas_horde_proxy_user();
    }
    $request = new Horde_Controller_Request_Http();
    $state = check_eas_horde_state($conf);
    $driver = new CheckEas_Horde_Driver(array('state' => $state, 'conf' => $conf));
    $server = new Horde_ActiveSync(
        $driver,
        new Horde_ActiveSync_Wbxml_Decoder(fopen('php://input', 'r')),
        new Horde_ActiveSync_Wbxml_Encoder(fopen('php://output', 'w+')),
        $state,
        $request);
    $server->setSupportedVersion($conf['version']);
    $log = array('type' => 'none', 'path' => '', 'level' => $conf['log_level']);
    if (!empty($conf['log'])) {
        $log['type'] = 'onefile';
        $log['path'] = $conf['log'];
    }
    $server->setLogger(new Horde_ActiveSync_Log_Factory($log));

    $get = $server->getGetVars();
    $method = isset($_SERVER['REQUEST_METHOD']) ? $_SERVER['REQUEST_METHOD'] : 'GET';
    switch ($method) {
    case 'OPTIONS':
    case 'GET':
        if ($method == 'GET' && !empty($get['Cmd']) && $get['Cmd'] != 'OPTIONS') {
            throw new Horde_ActiveSync_Exception_InvalidRequest('GET request for a command');
        }
        if (!$server->handleRequest('Options', null)) {
            throw new Horde_Exception('Unknown Error');
        }
        break;

    case 'POST':
        if (empty($get['Cmd']) || empty($get['DeviceId']) || empty($get['DeviceType'])) {
            throw new Horde_ActiveSync_Exception_InvalidRequest('Missing required parameters (Cmd, DeviceId, DeviceType).');
        }
        $ret = $server->handleRequest($get['Cmd'], $get['DeviceId']);
        if ($ret === false) {
            throw new Horde_Exception(sprintf('Received FALSE while handling %s command.', $get['Cmd']));
        } elseif ($ret !== true) {
            $content_type = $ret;
        }
        break;

    default:
        check_eas_horde_status(405, 'Method Not Allowed');
        header('Allow: OPTIONS,POST');
        ob_end_clean();
        exit;
    }
} catch (Horde_ActiveSync_Exception_InvalidRequest $e) {
    check_eas_horde_log_exception($e);
    ob_end_clean();
    check_eas_horde_status(400, 'Bad Request');
    exit;
} catch (Horde_Exception_AuthenticationFailure $e) {
    ob_end_clean();
    check_eas_horde_auth_failed($e);
    exit;
} catch (Throwable $e) {
    check_eas_horde_log_exception($e);
    ob_end_clean();
    check_eas_horde_status(500, 'Internal Server Error');
    exit;
}

$len = ob_get_length();
$data = ob_get_contents();
ob_end_clean();
if (!headers_sent()) {
    header('Content-Length: ' . $len);
    header('Content-Type: ' . $content_type);
}
echo $data;
