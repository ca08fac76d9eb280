<?php
// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * check-eas test server: the Inbox in a real IMAP store and SendMail
 * through a real MTA (t/lib/mailchain.sh: Dovecot and Postfix on
 * 127.0.0.1), enabled by config.ini's mail_imap_port and mail_smtp_port.
 * The account's user name and password log in to IMAP; mail is submitted
 * by SMTP (no authentication: Postfix relays for 127.0.0.1).
 *
 * Written for the check-eas tests; not a general-purpose backend.
 */
class CheckEas_Horde_MailStore
{
    /** @var array  The test configuration. */
    protected $_conf;

    /** @var Horde_Imap_Client_Socket */
    protected $_imap;

    public function __construct(array $conf)
    {
        $this->_conf = $conf;
    }

    /** Whether the configuration asks for the real store. */
    public static function enabled(array $conf)
    {
        return !empty($conf['mail_imap_port']);
    }

    protected function _imap()
    {
        if (!$this->_imap) {
            $this->_imap = new Horde_Imap_Client_Socket(array(
                'username' => $this->_conf['user'],
                'password' => $this->_conf['password'],
                'hostspec' => '127.0.0.1',
                'port' => (int)$this->_conf['mail_imap_port'],
                'secure' => false,
                'timeout' => 10));
        }
        return $this->_imap;
    }

    /** UIDVALIDITY, UIDNEXT and MESSAGES of the Inbox. */
    public function status()
    {
        return $this->_imap()->status('INBOX', Horde_Imap_Client::STATUS_UIDVALIDITY |
            Horde_Imap_Client::STATUS_UIDNEXT | Horde_Imap_Client::STATUS_MESSAGES);
    }

    /** The Inbox: uid => subject, from, to, date, read, body. */
    public function messages()
    {
        $q = new Horde_Imap_Client_Fetch_Query();
        $q->envelope();
        $q->flags();
        $q->imapDate();
        $q->bodyText(array('peek' => true));
        $out = array();
        $res = $this->_imap()->fetch('INBOX', $q, array('ids' => new Horde_Imap_Client_Ids(Horde_Imap_Client_Ids::ALL)));
        foreach ($res as $uid => $data) {
            $env = $data->getEnvelope();
            $from = $env->from->first();
            $out[$uid] = array(
                'subject' => (string)$env->subject,
                'from' => $from ? $from->writeAddress() : '',
                'to' => $this->_conf['email'],
                'date' => $data->getImapDate()->format('U'),
                'read' => in_array(Horde_Imap_Client::FLAG_SEEN, $data->getFlags()) ? 1 : 0,
                'body' => (string)$data->getBodyText(),
            );
        }
        ksort($out);
        return $out;
    }

    /** Delete (and expunge) the Inbox messages of these uids. */
    public function delete(array $uids)
    {
        $ids = new Horde_Imap_Client_Ids(array_map('intval', $uids));
        $this->_imap()->store('INBOX', array('add' => array(Horde_Imap_Client::FLAG_DELETED), 'ids' => $ids));
        $this->_imap()->expunge('INBOX', array('ids' => $ids));
        return $uids;
    }

    /**
     * Submit a message to the MTA by SMTP: the envelope sender is the
     * account, the recipients are the To, Cc and Bcc addresses.
     */
    public function send($rfc822)
    {
        if (is_resource($rfc822)) {
            rewind($rfc822);
            $rfc822 = stream_get_contents($rfc822);
        }
        $rfc822 = str_replace("\r\n", "\n", (string)$rfc822);
        list($head) = explode("\n\n", $rfc822, 2);
        $head = preg_replace("/\n[ \t]+/", ' ', $head);
        $rcpt = array();
        foreach (explode("\n", $head) as $line) {
            if (preg_match('/^(To|Cc|Bcc):(.*)$/i', $line, $m) &&
                preg_match_all('/[^\s<>,"]+@[^\s<>,"]+/', $m[2], $a)) {
                $rcpt = array_merge($rcpt, $a[0]);
            }
        }
        if (!$rcpt) {
            throw new Horde_ActiveSync_Exception('The message names no recipient.');
        }
        // Without its Bcc line, as an MTA submission client sends it.
        $rfc822 = preg_replace('/^Bcc:.*\n([ \t].*\n)*/mi', '', $rfc822);
        $s = fsockopen('127.0.0.1', (int)$this->_conf['mail_smtp_port'], $errno, $errstr, 10);
        if (!$s) {
            throw new Horde_ActiveSync_Exception("SMTP: $errstr");
        }
        $this->_smtp($s, null, 220);
        $this->_smtp($s, 'EHLO activesync.example.com', 250);
        $this->_smtp($s, 'MAIL FROM:<' . $this->_conf['email'] . '>', 250);
        foreach (array_unique($rcpt) as $r) {
            $this->_smtp($s, "RCPT TO:<$r>", 250);
        }
        $this->_smtp($s, 'DATA', 354);
        $data = preg_replace('/^\./m', '..', $rfc822);
        if (substr($data, -1) != "\n") {
            $data .= "\n";
        }
        $this->_smtp($s, str_replace("\n", "\r\n", $data) . '.', 250);
        $this->_smtp($s, 'QUIT', 221);
        fclose($s);
        return true;
    }

    /** One SMTP command (null: none, read the greeting) and its reply. */
    protected function _smtp($s, $line, $want)
    {
        if ($line !== null) {
            fwrite($s, $line . "\r\n");
        }
        do {
            $reply = fgets($s, 4096);
            if ($reply === false) {
                throw new Horde_ActiveSync_Exception('SMTP: the connection closed.');
            }
        } while (strlen($reply) > 3 && $reply[3] == '-');
        if ((int)$reply != $want) {
            throw new Horde_ActiveSync_Exception('SMTP: ' . trim($reply));
        }
    }
}
