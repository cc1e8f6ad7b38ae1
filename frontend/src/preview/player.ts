// Plays what a card's play buttons ask for.
//
// The card runs in a sandboxed frame with an opaque origin. Its play buttons post
// {atd: "play", side: "q"|"a", index} to this page (the bridge the server puts in every page),
// and this page plays the tag from the last render: sound files from the note type's media
// route through one <audio> element here, TTS through the browser's speechSynthesis. Playing
// here rather than inside the frame means one player for all frames (a new play stops the last,
// as in Anki), playback that survives the frame being replaced on the next keystroke, and no
// media URLs the card's own scripts could tamper with.
import { mediaUrl, type AvTagDoc } from "../api/preview";

export class AvPlayer {
  private readonly audio = new Audio();

  constructor(private readonly report: (message: string) => void) {}

  play(tag: AvTagDoc | undefined, notetypeId: string | null): void {
    this.stop();
    if (!tag) return;
    if (tag.type === "tts") {
      this.speak(tag.field_text, tag.lang, tag.speed);
      return;
    }
    if (!notetypeId) {
      this.report(`Cannot play ${tag.filename}: this note type has no media in the workspace yet.`);
      return;
    }
    this.audio.src = mediaUrl(notetypeId, tag.filename);
    this.audio.play().catch((error: unknown) => {
      const why = error instanceof Error ? error.message : String(error);
      this.report(`Cannot play ${tag.filename}: ${why}. Is it among the note type's media?`);
    });
  }

  stop(): void {
    this.audio.pause();
    if ("speechSynthesis" in window) window.speechSynthesis.cancel();
  }

  private speak(text: string, lang: string, speed: number): void {
    if (!("speechSynthesis" in window)) {
      this.report(`This browser cannot speak: ${text}`);
      return;
    }
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = lang.replace("_", "-");
    utterance.rate = speed > 0 ? speed : 1;
    window.speechSynthesis.speak(utterance);
  }
}
