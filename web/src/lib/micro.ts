import { graphql } from "./gql";

/** What each submission state is called where a learner or an assessor reads it. */
export const SUBMISSION_STATE_LABELS: Record<string, string> = {
  DRAFT: "Draft",
  SUBMITTED: "Submitted",
  IN_REVIEW: "In review",
  RETURNED: "Returned for revision",
  RESUBMITTED: "Resubmitted",
  AWARDED: "Awarded",
  NOT_AWARDED: "Not awarded",
  WITHDRAWN: "Withdrawn",
};

export const DECISION_LABELS: Record<string, string> = {
  AWARDED: "Awarded",
  RETURNED: "Returned for revision",
  NOT_AWARDED: "Not awarded",
};

/** States in which the learner still edits the answers. */
export const EDITABLE_STATES = ["DRAFT", "RETURNED"];
/** States before a decision: the learner may still withdraw. */
export const UNDECIDED_STATES = ["DRAFT", "SUBMITTED", "IN_REVIEW", "RETURNED", "RESUBMITTED"];
/** States an assessor can claim and decide. */
export const REVIEWABLE_STATES = ["SUBMITTED", "RESUBMITTED", "IN_REVIEW"];

/** File types a part may take, as people know them (the Worker checks the file's first bytes). */
export const FILE_TYPE_LABELS: Record<string, string> = {
  "application/pdf": "PDF",
  "image/png": "PNG image",
  "image/jpeg": "JPEG image",
  "image/gif": "GIF image",
  "image/webp": "WebP image",
  "video/mp4": "MP4 video",
  "application/zip": "ZIP archive",
};

export const fileTypeNames = (types: readonly string[] | null | undefined) => (types ?? []).map((t) => FILE_TYPE_LABELS[t] ?? t).join(", ");

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return "";
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB`;
  return `${Math.max(1, Math.ceil(n / 1024))} KB`;
}

export const countWords = (text: string) => text.trim().split(/\s+/).filter(Boolean).length;

/** The definition as the learner, the public page and the assessor read it. */
export const MicroCredentialFields = graphql(`
  fragment MicroCredentialFields on MicroCredential {
    badgeClassId competency keyMethod methodComponents research reviewTargetDays blindReview
    resources { title url }
    parts { id title prompt kind required wordLimit fileTypes maxBytes }
    criteria { id name description partIds requiredLevel levels { index name description } }
    prerequisites { badgeClassId name }
    badgeClass { id name description imageUrl criteriaNarrative issuer { id name url } }
  }
`);

/** A submission's past: what was handed in each round and what the assessor said. */
export const SubmissionHistoryFields = graphql(`
  fragment SubmissionHistoryFields on Submission {
    history { state at }
    attempts { round note submittedAt }
    reviews { round decision comment decidedAt scores { criterionId level comment } }
  }
`);

export interface UploadResult {
  ok: boolean;
  message: string;
  file?: { name: string; type: string; size: number };
}

/**
 * Sends one evidence file to the Worker, which streams it to storage. XMLHttpRequest rather
 * than fetch: only it reports upload progress. The Worker's own message (too large, wrong
 * type, mislabelled) is what the learner reads.
 */
export function uploadEvidence(
  submissionId: string,
  partId: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<UploadResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", `/api/submissions/${submissionId}/parts/${partId}/file?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader("x-laurel-csrf", "1");
    xhr.setRequestHeader("content-type", file.type || "application/octet-stream");
    xhr.withCredentials = true;
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: { file?: UploadResult["file"]; error?: { message?: string; fieldErrors?: { field: string; message: string }[] } } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: the generic message below
      }
      if (xhr.status >= 200 && xhr.status < 300 && body.file) resolve({ ok: true, message: "Uploaded.", file: body.file });
      else
        resolve({
          ok: false,
          message: body.error?.fieldErrors?.[0]?.message ?? body.error?.message ?? `The upload failed (HTTP ${xhr.status}). Try again.`,
        });
    };
    xhr.onerror = () => resolve({ ok: false, message: "The upload did not get through. Check your connection and try again." });
    xhr.send(file);
  });
}
