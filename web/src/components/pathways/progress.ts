import { graphql } from "../../lib/gql";

/** What a learner sees of their progress on a pathway, on My Pathways and on its page. */
export const PathwayProgressFields = graphql(`
  fragment PathwayProgressFields on PathwayProgress {
    pathway { id name description imageUrl state }
    issuer { name }
    subscribed invited met completedAt stepsDone stepsRequired
    next { name stepId }
    nodes {
      id stepId depth name description junction requiredCount met done required completedAt
      completionBadgeClass { id name }
      badges { held microCredential earnUrl badgeClass { id name imageUrl issuer { name } } }
    }
  }
`);
