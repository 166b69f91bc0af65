import type { Message } from "grammy/types";

/**
 * How `toInbound` classifies Telegram message fields it does not translate. Kept apart because the Bot API
 * adds fields every few months; a field in neither list becomes `unsupported` `unknown`, which only costs a
 * polite "please type or choose" reply.
 */

/** Content the bot cannot read, reported by its Bot API field name. */
export const UNSUPPORTED_CONTENT = [
  "animation",
  "audio",
  "voice",
  "video",
  "video_note",
  "sticker",
  "poll",
  "contact",
  "dice",
  "game",
  "story",
  "paid_media",
  "rich_message",
  "checklist",
  "invoice",
  "giveaway",
  "giveaway_winners",
] as const satisfies readonly (keyof Message)[];

/** Service messages (pins, auto-delete timer, payments…): nothing the user said, so no reply. */
export const SERVICE_FIELDS = new Set<string>([
  "new_chat_members",
  "left_chat_member",
  "new_chat_title",
  "new_chat_photo",
  "delete_chat_photo",
  "group_chat_created",
  "supergroup_chat_created",
  "channel_chat_created",
  "message_auto_delete_timer_changed",
  "migrate_to_chat_id",
  "migrate_from_chat_id",
  "pinned_message",
  "successful_payment",
  "refunded_payment",
  "users_shared",
  "chat_shared",
  "connected_website",
  "write_access_allowed",
  "passport_data",
  "proximity_alert_triggered",
  "boost_added",
  "chat_background_set",
  "checklist_tasks_done",
  "checklist_tasks_added",
  "forum_topic_created",
  "forum_topic_edited",
  "forum_topic_closed",
  "forum_topic_reopened",
  "general_forum_topic_hidden",
  "general_forum_topic_unhidden",
  "giveaway_created",
  "giveaway_completed",
  "gift",
  "unique_gift",
  "paid_message_price_changed",
  "direct_message_price_changed",
  "video_chat_scheduled",
  "video_chat_started",
  "video_chat_ended",
  "video_chat_participants_invited",
  "web_app_data",
]);
