<?php
// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * check-eas test server: a small Horde_ActiveSync backend driver.
 *
 * One account, a fixed folder tree and a few Inbox messages, all in
 * memory; everything a device does is kept by Horde's own state driver
 * (Horde_ActiveSync_State_Sql). Modelled on the shape of Horde's groupware
 * driver (Horde_Core_ActiveSync_Driver): folders carry a backend id in
 * _serverid and a device-visible uid in serverid, mail folders are
 * Horde_ActiveSync_Folder_Imap state objects fed as a non-CONDSTORE IMAP
 * server would feed them, and the provisioning mode and policy come from
 * the configuration (Horde reads both from its permissions).
 *
 * Written for the check-eas tests; not a general-purpose backend.
 */
class CheckEas_Horde_Driver extends Horde_ActiveSync_Driver_Base
{
    /** Backend ids of the folders: [type, display name]. */
    protected $_folderDefs = array(
        'INBOX'   => array(Horde_ActiveSync::FOLDER_TYPE_INBOX, 'Inbox'),
        'Drafts'  => array(Horde_ActiveSync::FOLDER_TYPE_DRAFTS, 'Drafts'),
        'Trash'   => array(Horde_ActiveSync::FOLDER_TYPE_WASTEBASKET, 'Deleted Items'),
        'Sent'    => array(Horde_ActiveSync::FOLDER_TYPE_SENTMAIL, 'Sent Items'),
        '@Contacts@' => array(Horde_ActiveSync::FOLDER_TYPE_CONTACT, 'Contacts'),
        '@Calendar@' => array(Horde_ActiveSync::FOLDER_TYPE_APPOINTMENT, 'Calendar'),
    );

    /** @var array  The test configuration (bootstrap.php). */
    protected $_conf;

    /** @var array  Folder objects, built once per request. */
    protected $_folders = array();

    public function __construct(array $params = array())
    {
        parent::__construct($params);
        $this->_conf = $params['conf'];
    }

    // ------------------------------------------------------------ account

    /**
     * Basic authentication: the one user and password of the configuration.
     * The user may be sent as DOMAIN\user (Horde splits the domain off).
     */
    public function authenticate($username, $password, $domain = null)
    {
        if (!empty($this->_conf['trust_remote_user'])) {
            return $this->_authenticateProxyUser($username, $domain);
        }
        if ((string)$username !== $this->_conf['user'] ||
            (string)$password !== $this->_conf['password']) {
            $this->_logger->notice(sprintf('Login failed for user %s.', $username));
            return false;
        }
        return parent::authenticate($username, $password, $domain);
    }

    /**
     * Behind an authenticating proxy (the vhost sets
     * CHECK_EAS_HORDE_TRUST_REMOTE_USER=1: Apache's mod_oauth2 validated a
     * bearer token and set REMOTE_USER to its subject), as Exchange
     * behind a modern-auth front end: no password,
     * the proxy's user is the account. index.php hands REMOTE_USER to
     * Horde as the user name; it must be the configured account.
     */
    protected function _authenticateProxyUser($username, $domain)
    {
        $remote = getenv('REMOTE_USER');
        if ($remote === false || $remote === '' || $domain !== null ||
            (string)$username !== $remote || $remote !== $this->_conf['user']) {
            $this->_logger->notice(sprintf('Proxy login refused for user %s.', $username));
            return false;
        }
        $this->_logger->notice(sprintf('Proxy-authenticated user %s.', $remote));
        return parent::authenticate($username, '', $domain);
    }

    /** Autodiscover sends an address; our user name is the address. */
    public function getUsernameFromEmail($email)
    {
        return $email;
    }

    /**
     * Called by Horde_ActiveSync::_handleDevice() on every request: a device
     * listed in blocked_devices is refused (status 129, "blocked for user";
     * Horde turns it into HTTP 403 for EAS <= 12.1).
     */
    public function deviceCallback(Horde_ActiveSync_Device $device)
    {
        $blocked = array_filter(array_map('trim', explode(',', Horde_String::upper($this->_conf['blocked_devices']))));
        if (in_array(Horde_String::upper($device->id), $blocked, true)) {
            return Horde_ActiveSync_Status::DEVICE_BLOCKED_FOR_USER;
        }
        return true;
    }

    public function getHeartbeatConfig()
    {
        return array(
            'heartbeatmin' => (int)$this->_conf['heartbeat_min'],
            'heartbeatmax' => (int)$this->_conf['heartbeat_max'],
            'heartbeatdefault' => 480,
            'deviceping' => true,
            'waitinterval' => (int)$this->_conf['ping_wait']);
    }

    // --------------------------------------------------------- provisioning

    /**
     * Provisioning mode: force (a policy must be acknowledged: Exchange's
     * behaviour), loose (devices that cannot provision may still sync) or
     * none (no policy at all).
     */
    public function getProvisioning(Horde_ActiveSync_Device $device = null)
    {
        switch ($this->_conf['provisioning']) {
        case 'none':
        case 'false':
        case '0':
            return Horde_ActiveSync::PROVISIONING_NONE;
        case 'loose':
            return Horde_ActiveSync::PROVISIONING_LOOSE;
        default:
            return Horde_ActiveSync::PROVISIONING_FORCE;
        }
    }

    /**
     * The device policy: policy_<Name>=<value> entries of the configuration
     * (Name as in Horde_ActiveSync_Policies, e.g. DevicePasswordEnabled);
     * anything not given keeps Horde's default.
     */
    public function getCurrentPolicy($device = false)
    {
        $policy = array();
        foreach ($this->_conf as $key => $value) {
            if (strncmp($key, 'policy_', 7) == 0) {
                $policy[substr($key, 7)] = $value;
            }
        }
        return $policy;
    }

    // ------------------------------------------------------------ settings

    public function getSettings(array $settings, $device)
    {
        $res = array();
        foreach ($settings as $key => $setting) {
            switch ($key) {
            case 'oof':
                $res['oof'] = array(
                    'status' => Horde_ActiveSync_Request_Settings::STATUS_SUCCESS,
                    'oofstate' => Horde_ActiveSync_Request_Settings::OOF_STATE_DISABLED,
                    'oofmsgs' => array());
                break;
            case 'userinformation':
                $accounts = array();
                if ($this->_version >= Horde_ActiveSync::VERSION_FOURTEENONE) {
                    $accounts[] = array(
                        'fullname' => $this->_conf['fullname'],
                        'emailaddresses' => array($this->_conf['email']),
                        'accountname' => 'default');
                }
                $res['userinformation'] = array(
                    'emailaddresses' => array($this->_conf['email']),
                    'primarysmtpaddress' => $this->_conf['email'],
                    'status' => Horde_ActiveSync_Request_Settings::STATUS_SUCCESS,
                    'accounts' => $accounts);
                break;
            }
        }
        return $res;
    }

    public function setSettings(array $settings, $device)
    {
        $res = array();
        foreach ($settings as $key => $setting) {
            // Device information is stored by Horde itself; OOF is accepted
            // and forgotten.
            $res[$key] = Horde_ActiveSync_Request_Settings::STATUS_SUCCESS;
        }
        return $res;
    }

    public function autoDiscover($params = array(), $version = 1)
    {
        $url = 'https://' . (isset($_SERVER['HTTP_HOST']) ? $_SERVER['HTTP_HOST'] : 'localhost')
            . '/Microsoft-Server-ActiveSync';
        return array(
            'display_name' => $this->_conf['fullname'],
            'email' => $this->_conf['email'],
            'url' => $url,
            'culture' => 'en:us',
            'username' => $this->_conf['user']);
    }

    // ------------------------------------------------------------- folders

    public function getFolders()
    {
        if (empty($this->_folders)) {
            foreach ($this->_folderDefs as $id => $def) {
                $folder = new Horde_ActiveSync_Message_Folder();
                $folder->_serverid = $id;
                $folder->serverid = $this->_getFolderUidForBackendId($id, $def[0]);
                $folder->parentid = '0';
                $folder->type = $def[0];
                $folder->displayname = $def[1];
                $this->_folders[] = $folder;
            }
        }
        return $this->_folders;
    }

    public function getFolderList()
    {
        $list = array();
        foreach ($this->getFolders() as $f) {
            $list[] = $this->statFolder($f->serverid, $f->parentid, $f->displayname, $f->_serverid, $f->type);
        }
        return $list;
    }

    public function getFolder($id)
    {
        foreach ($this->getFolders() as $folder) {
            if ($folder->_serverid == $id) {
                return $folder;
            }
        }
        throw new Horde_ActiveSync_Exception(sprintf('Folder: %s not found!', $id));
    }

    public function statFolder($id, $parent = '0', $mod = null, $serverid = null, $type = null)
    {
        return array(
            'id' => $id,
            'mod' => empty($mod) ? $id : $mod,
            'parent' => $parent,
            'serverid' => !empty($serverid) ? $serverid : $id,
            'type' => !empty($type) ? $type : null);
    }

    public function changeFolder($id, $displayname, $parent, $uid = null, $type = null)
    {
        throw new Horde_ActiveSync_Exception('Folder changes are not supported by the test server.');
    }

    public function deleteFolder($id, $parent = Horde_ActiveSync::FOLDER_ROOT)
    {
        throw new Horde_ActiveSync_Exception('Folder changes are not supported by the test server.');
    }

    public function getSpecialFolderNameByType($type)
    {
        $map = array('inbox' => 'INBOX', 'drafts' => 'Drafts', 'trash' => 'Trash', 'sent' => 'Sent');
        return isset($map[$type]) ? $map[$type] : null;
    }

    public function getWasteBasket($class)
    {
        return $class == Horde_ActiveSync::CLASS_EMAIL ? 'Trash' : false;
    }

    // ------------------------------------------------------------ messages

    /**
     * The real mail store (MailStore.php) when config.ini names one
     * (check_eas_mailloop's tests), else null: the fixed Inbox below.
     */
    protected function _store()
    {
        static $store = false;
        if ($store === false) {
            $store = CheckEas_Horde_MailStore::enabled($this->_conf)
                ? new CheckEas_Horde_MailStore($this->_conf) : null;
        }
        return $store;
    }

    /** The messages of a mail folder: uid => data. Only the Inbox has any. */
    protected function _messages($folderid)
    {
        if ($folderid != 'INBOX') {
            return array();
        }
        if ($this->_store()) {
            return $this->_store()->messages();
        }
        $subjects = array('Welcome to check-eas', 'Monitoring report', 'Quarterly numbers');
        $out = array();
        $n = max(0, (int)$this->_conf['inbox_count']);
        for ($uid = 1; $uid <= $n; $uid++) {
            $subject = $subjects[($uid - 1) % count($subjects)];
            if ($uid > count($subjects)) {
                $subject .= ' #' . $uid;
            }
            $out[$uid] = array(
                'subject' => $subject,
                'from' => '"Sender ' . $uid . '" <sender' . $uid . '@example.org>',
                'to' => $this->_conf['email'],
                // fixed dates, one day apart, within FilterType windows
                'date' => time() - 86400 * $uid,
                'read' => $uid == 1 ? 1 : 0,
                'body' => "Message $uid for check-eas.\r\nThis is the body text of test message $uid.\r\n",
            );
        }
        return $out;
    }

    public function getServerChanges(
        $folder, $from_ts, $to_ts, $cutoffdate, $ping, $ignoreFirstSync = false,
        $maxitems = 100, $refreshFilter = false)
    {
        $changes = array('add' => array(), 'delete' => array(), 'modify' => array(), 'soft' => array());

        if ($folder->collectionClass() == Horde_ActiveSync::CLASS_EMAIL) {
            // Feed the folder like a plain (non-CONDSTORE) IMAP server:
            // status, then every uid in range with its flags.
            $messages = $this->_messages($folder->serverid());
            $uids = array();
            $flags = array();
            foreach ($messages as $uid => $m) {
                if (empty($cutoffdate) || $m['date'] >= $cutoffdate) {
                    $uids[] = $uid;
                    $flags[$uid] = array('read' => $m['read'], 'flagged' => 0);
                }
            }
            $status = array(
                Horde_ActiveSync_Folder_Imap::UIDVALIDITY => 1,
                Horde_ActiveSync_Folder_Imap::UIDNEXT => count($messages) ? max(array_keys($messages)) + 1 : 1,
                Horde_ActiveSync_Folder_Imap::HIGHESTMODSEQ => 0,
                Horde_ActiveSync_Folder_Imap::MESSAGES => count($messages));
            if ($this->_store() && $folder->serverid() == 'INBOX') {
                $st = $this->_store()->status();
                $status[Horde_ActiveSync_Folder_Imap::UIDVALIDITY] = $st['uidvalidity'];
                $status[Horde_ActiveSync_Folder_Imap::UIDNEXT] = $st['uidnext'];
            }
            if ($folder->uidnext() != 0) {
                $folder->checkValidity($status);
            }
            if ($ping) {
                if ($folder->uidnext() != $status[Horde_ActiveSync_Folder_Imap::UIDNEXT]) {
                    $changes['add'] = array(1);
                }
            } else {
                $known = $folder->messages();
                $folder->setChanges($uids, $flags);
                $folder->setRemoved(array_values(array_diff($known, array_keys($messages))));
                $folder->setStatus($status);
                $changes['add'] = $folder->added();
                $changes['delete'] = $folder->removed();
                $changes['modify'] = $folder->changed();
            }
        }
        if ($folder->serverid() == '@Calendar@') {
            // The calendar store (_calendar): changes between two of its
            // modification sequences, the stamps of getSyncStamp().
            $cal = $this->_calendar();
            foreach ($cal['items'] as $uid => $item) {
                if (!$folder->haveInitialSync || ($item['mod'] > $from_ts && $item['mod'] <= $to_ts)) {
                    $changes['add'][] = $uid;
                }
            }
            foreach ($cal['deleted'] as $uid => $mod) {
                if ($folder->haveInitialSync && $mod > $from_ts && $mod <= $to_ts) {
                    $changes['delete'][] = $uid;
                }
            }
        }
        // Contacts are an empty collection.

        if (!$folder->haveInitialSync) {
            return $changes['add'];
        }

        $results = array();
        foreach ($changes['add'] as $add) {
            $results[] = array(
                'id' => $add,
                'type' => Horde_ActiveSync::CHANGE_TYPE_CHANGE,
                'flags' => Horde_ActiveSync::FLAG_NEWMESSAGE);
        }
        if ($folder->collectionClass() == Horde_ActiveSync::CLASS_EMAIL) {
            $flags = $folder->flags();
            foreach ($changes['modify'] as $uid) {
                $results[] = array(
                    'id' => $uid,
                    'type' => Horde_ActiveSync::CHANGE_TYPE_FLAGS,
                    'flags' => $flags[$uid],
                    'categories' => array());
            }
        }
        foreach ($changes['delete'] as $uid) {
            $results[] = array('id' => $uid, 'type' => Horde_ActiveSync::CHANGE_TYPE_DELETE);
        }
        return $results;
    }

    public function getMessage($folderid, $id, array $collection)
    {
        if ($folderid == '@Calendar@') {
            $cal = $this->_calendar();
            if (empty($cal['items'][$id])) {
                throw new Horde_Exception_NotFound(sprintf('No event %s', $id));
            }
            $event = Horde_ActiveSync::messageFactory('Appointment');
            $event->setSubject($cal['items'][$id]['subject']);
            $event->setUid($id);
            $start = new Horde_Date($cal['items'][$id]['start']);
            $event->setTimezone($start);
            $event->setDatetime(array('start' => $start, 'end' => new Horde_Date($cal['items'][$id]['start'] + 1800), 'allday' => false));
            return $event;
        }
        $messages = $this->_messages($folderid);
        if (empty($messages[$id])) {
            throw new Horde_Exception_NotFound(sprintf('No message %s in %s', $id, $folderid));
        }
        $m = $messages[$id];
        $msg = Horde_ActiveSync::messageFactory('Mail');
        $msg->to = $m['to'];
        $msg->displayto = $m['to'];
        $msg->from = $m['from'];
        $msg->subject = $m['subject'];
        $msg->threadtopic = $m['subject'];
        $msg->datereceived = new Horde_Date($m['date']);
        $msg->read = $m['read'];
        $msg->importance = 1;
        $msg->messageclass = 'IPM.Note';
        $msg->cpid = Horde_ActiveSync_Message_Mail::INTERNET_CPID_UTF8;

        $text = $m['body'];
        if ($this->_version >= Horde_ActiveSync::VERSION_TWELVE) {
            // AirSyncBase body: plain text, cut to the requested size.
            $limit = false;
            if (!empty($collection['bodyprefs'][Horde_ActiveSync::BODYPREF_TYPE_PLAIN]['truncationsize'])) {
                $limit = (int)$collection['bodyprefs'][Horde_ActiveSync::BODYPREF_TYPE_PLAIN]['truncationsize'];
            }
            $body = Horde_ActiveSync::messageFactory('AirSyncBaseBody');
            $body->type = Horde_ActiveSync::BODYPREF_TYPE_PLAIN;
            $body->estimateddatasize = strlen($text);
            $body->truncated = ($limit && strlen($text) > $limit) ? 1 : 0;
            $body->data = $body->truncated ? substr($text, 0, $limit) : $text;
            $msg->airsyncbasebody = $body;
            $msg->airsyncbasenativebodytype = Horde_ActiveSync::BODYPREF_TYPE_PLAIN;
            $msg->contentclass = 'urn:content-classes:message';
            $flag = Horde_ActiveSync::messageFactory('Flag');
            $flag->flagstatus = Horde_ActiveSync_Message_Flag::FLAG_STATUS_CLEAR;
            $msg->flag = $flag;
        } else {
            $msg->body = $text;
            $msg->bodysize = strlen($text);
            $msg->bodytruncated = 0;
        }
        return $msg;
    }

    public function statMessage($folderid, $id)
    {
        if ($folderid == '@Calendar@') {
            $cal = $this->_calendar();
            return array('id' => $id, 'mod' => empty($cal['items'][$id]) ? 0 : $cal['items'][$id]['mod'], 'flags' => 1);
        }
        return array('id' => $id, 'mod' => 0, 'flags' => 1);
    }

    public function statMailMessage($folderid, $id)
    {
        return array('id' => $id, 'mod' => 0, 'flags' => false);
    }

    public function getSyncStamp($collection, $last = null)
    {
        if ($collection == '@Calendar@') {
            $cal = $this->_calendar();
            return $cal['modseq'];
        }
        return time();
    }

    // ------------------------------------------------------------ calendar

    /**
     * The calendar: a real store, so that what one device adds another
     * device's Ping notices (check_eas_push --trigger item). A JSON file
     * beside the state database: modseq, items uid => subject, start, mod,
     * deleted uid => mod. $change (given) runs on it under an exclusive
     * lock and its result is written back.
     */
    protected function _calendar($change = null)
    {
        $file = dirname($this->_conf['state_db']) . '/calendar.json';
        $fh = fopen($file, 'c+');
        if (!$fh) {
            throw new Horde_ActiveSync_Exception('Cannot open the calendar store.');
        }
        flock($fh, $change ? LOCK_EX : LOCK_SH);
        $cal = json_decode(stream_get_contents($fh), true);
        if (!is_array($cal)) {
            $cal = array('modseq' => 1, 'items' => array(), 'deleted' => array());
        }
        if ($change) {
            $cal['modseq']++;
            $cal = $change($cal, $cal['modseq']);
            ftruncate($fh, 0);
            rewind($fh);
            fwrite($fh, json_encode($cal));
            fflush($fh);
        }
        flock($fh, LOCK_UN);
        fclose($fh);
        return $cal;
    }

    // Client changes: calendar items are stored; mail changes are accepted
    // and forgotten (the mail data set is fixed).

    public function changeMessage($folderid, $id, Horde_ActiveSync_Message_Base $message, $device)
    {
        if ($folderid == '@Calendar@' && !$id) {
            $uid = 'ev' . bin2hex(random_bytes(8));
            $subject = (string)$message->getSubject();
            $cal = $this->_calendar(function ($cal, $mod) use ($uid, $subject) {
                $cal['items'][$uid] = array('subject' => $subject, 'start' => time() + 86400, 'mod' => $mod);
                return $cal;
            });
            return array('id' => $uid, 'mod' => $cal['items'][$uid]['mod'], 'flags' => 1);
        }
        if ($id) {
            return array('id' => $id, 'mod' => 0, 'flags' => 1, 'serverid' => $folderid);
        }
        throw new Horde_ActiveSync_Exception('Adding items is not supported by the test server.');
    }

    public function setReadFlag($folderid, $uid, $flag)
    {
    }

    public function deleteMessage($folderid, array $ids)
    {
        if ($folderid == '@Calendar@') {
            $this->_calendar(function ($cal, $mod) use ($ids) {
                foreach ($ids as $uid) {
                    unset($cal['items'][$uid]);
                    $cal['deleted'][$uid] = $mod;
                }
                return $cal;
            });
        }
        if ($this->_store() && $folderid == 'INBOX') {
            return $this->_store()->delete($ids);
        }
        return $ids;
    }

    public function moveMessage($folderid, array $ids, $newfolderid)
    {
        return array();
    }

    public function sendMail($rfc822, $forward = null, $reply = null, $parent = null, $save = true,
                             $message = null)
    {
        if ($this->_store()) {
            // 14.0 and later: WBXML SendMail, the MIME inside the message.
            return $this->_store()->send($message ? $message->mime : $rfc822);
        }
        return true;
    }

    // ---------------------------------------------------- not supported

    public function getSearchResults($type, array $query)
    {
        return array('rows' => array(), 'status' => Horde_ActiveSync_Request_Search::STORE_STATUS_SUCCESS);
    }

    public function getAttachment($name, array $options = array())
    {
        throw new Horde_ActiveSync_Exception('No attachments on the test server.');
    }

    public function itemOperationsGetAttachmentData($filereference)
    {
        throw new Horde_ActiveSync_Exception('No attachments on the test server.');
    }

    public function itemOperationsFetchMailbox($longid, array $bodyprefs, $mimesupport)
    {
        throw new Horde_ActiveSync_Exception('Not supported by the test server.');
    }

    public function itemOperationsGetDocumentLibraryLink($linkid, $cred)
    {
        throw new Horde_ActiveSync_Exception('Not supported by the test server.');
    }

    public function resolveRecipient($type, $search, array $options = array())
    {
        return array();
    }

    public function meetingResponse(array $response)
    {
        throw new Horde_ActiveSync_Exception('Not supported by the test server.');
    }

    public function getFreebusy($user, array $options = array())
    {
        return false;
    }
}
