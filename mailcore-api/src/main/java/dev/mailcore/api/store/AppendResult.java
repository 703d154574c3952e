package dev.mailcore.api.store;

/**
 * Where an appended or delivered message landed (RFC 4315 APPENDUID data).
 *
 * @param mailbox     the mailbox
 * @param uidValidity its UIDVALIDITY
 * @param uid         the new message's UID
 * @param modSeq      the new message's MODSEQ
 */
public record AppendResult(MailboxRef mailbox, long uidValidity, long uid, long modSeq) {
}
