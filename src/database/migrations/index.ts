import { CreateSectionsAndApiKeys1795950000000 } from './1795950000000-CreateSectionsAndApiKeys';
import { CreateArticles1795951000000 } from './1795951000000-CreateArticles';
import { CreateWebhooks1795952000000 } from './1795952000000-CreateWebhooks';
import { CreateReactionsAndViews1795953000000 } from './1795953000000-CreateReactionsAndViews';
import { CreateCuratedRankings1795955000000 } from './1795955000000-CreateCuratedRankings';
import { Lz4ArticleCompression1795956000000 } from './1795956000000-Lz4ArticleCompression';
import { ArticlesCreationOrderIndex1796010000000 } from './1796010000000-ArticlesCreationOrderIndex';
import { StandardWebhooks1796020000000 } from './1796020000000-StandardWebhooks';
import { BlockTextFieldsAsHtml1796035000000 } from './1796035000000-BlockTextFieldsAsHtml';
import { CreateMedia1796052000000 } from './1796052000000-CreateMedia';
import { CreateAuditLog1796300000000 } from './1796300000000-CreateAuditLog';
import { ContributorRole1796301000000 } from './1796301000000-ContributorRole';
import { EditLeasesAndPreviewLinks1796302000000 } from './1796302000000-EditLeasesAndPreviewLinks';
import { MediaSourceUrl1796330000000 } from './1796330000000-MediaSourceUrl';
import { ArticleVersions1796318000000 } from './1796318000000-ArticleVersions';
import { ArticleWorkingCopies1796331000000 } from './1796331000000-ArticleWorkingCopies';

/** Every migration, oldest first. A migration is never edited after it lands: add a new one. */
export const MIGRATIONS = [
  CreateSectionsAndApiKeys1795950000000,
  CreateArticles1795951000000,
  CreateWebhooks1795952000000,
  CreateReactionsAndViews1795953000000,
  CreateCuratedRankings1795955000000,
  Lz4ArticleCompression1795956000000,
  ArticlesCreationOrderIndex1796010000000,
  StandardWebhooks1796020000000,
  BlockTextFieldsAsHtml1796035000000,
  CreateMedia1796052000000,
  CreateAuditLog1796300000000,
  ContributorRole1796301000000,
  EditLeasesAndPreviewLinks1796302000000,
  ArticleVersions1796318000000,
  MediaSourceUrl1796330000000,
  ArticleWorkingCopies1796331000000,
];
