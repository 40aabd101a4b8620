package synth

// Words the product descriptions are built from, in the style of the real catalogue (upper case gift and
// homeware names: "WHITE HANGING HEART T-LIGHT HOLDER", "JUMBO BAG RED RETROSPOT").

var colours = []string{
	"RED", "PINK", "WHITE", "BLUE", "GREEN", "IVORY", "CREAM", "BLACK", "SILVER", "GOLD", "PURPLE",
	"YELLOW", "ORANGE", "LILAC", "TURQUOISE", "ANTIQUE WHITE", "FRENCH BLUE", "PASTEL PINK", "RED/WHITE",
}

var themes = []string{
	"RETROSPOT", "POLKADOT", "VINTAGE", "REGENCY", "PAISLEY", "SPACEBOY", "DOLLY GIRL", "WOODLAND",
	"CHRISTMAS", "HEART", "ROSE", "PANTRY", "FAIRY CAKE", "CHARLOTTE", "SKULL", "BIRD", "OWL", "SPOTTY",
	"STRIPE", "FLORAL", "BIRDCAGE", "LOVE", "LONDON", "BUNNY", "GINGHAM", "SCANDINAVIAN", "ENGLISH ROSE",
	"ALPHABET", "CIRCUS PARADE", "PARISIENNE", "BAROQUE", "TEA PARTY", "JAM MAKING", "RECIPE", "STAR",
}

var adjectives = []string{
	"HANGING", "JUMBO", "SMALL", "LARGE", "MINI", "WOODEN", "METAL", "GLASS", "CERAMIC", "ENAMEL",
	"KNITTED", "FELTCRAFT", "WICKER", "ZINC", "ASSORTED", "DECORATIVE", "BAKING", "PAPER", "FABRIC",
	"PORCELAIN", "TRADITIONAL", "GLITTER", "EDWARDIAN", "ANTIQUE",
}

// noun is an object kind with the median price of its kind, in pence, and how it is usually sold.
type noun struct {
	name  string
	pence int
	packs []int // pack sizes a product of this kind comes in
}

var nouns = []noun{
	{"CARD", 42, []int{12, 12, 24}}, {"WRAP", 42, []int{25, 25}}, {"GIFT TAPE", 65, []int{12}},
	{"STICKER SHEET", 85, []int{12, 12}}, {"CAKE CASES", 55, []int{24, 24, 12}}, {"NAPKINS", 85, []int{12}},
	{"PENCILS", 29, []int{48, 24}}, {"BADGE", 21, []int{24, 48}}, {"MAGNET", 85, []int{12, 12}},
	{"T-LIGHT HOLDER", 255, []int{6, 12, 4}}, {"CANDLE", 125, []int{12, 6}}, {"LANTERN", 375, []int{2, 4, 1}},
	{"MUG", 125, []int{6, 12}}, {"TEACUP AND SAUCER", 295, []int{2, 1}}, {"BOWL", 165, []int{4, 8}},
	{"PLATE", 165, []int{12, 8}}, {"JUG", 295, []int{2, 6}}, {"BOTTLE", 250, []int{4, 6}},
	{"LUNCH BOX", 195, []int{6, 12}}, {"BAG", 165, []int{10, 10, 4}}, {"SHOPPER", 125, []int{10}},
	{"CHARLOTTE BAG", 85, []int{10}}, {"PURSE", 125, []int{6, 12}}, {"NOTEBOOK", 165, []int{12, 4}},
	{"CLOCK", 375, []int{2, 2, 4}}, {"DOORMAT", 795, []int{2, 1}}, {"CUSHION COVER", 375, []int{4, 2}},
	{"HOT WATER BOTTLE", 425, []int{4, 2}}, {"TRAY", 295, []int{4, 2}}, {"TIN", 165, []int{6, 12}},
	{"CAKE TINS", 495, []int{3, 2}}, {"STAND", 995, []int{1, 2}}, {"CABINET", 1275, []int{1}},
	{"SIGN", 210, []int{12, 6}}, {"COAT HANGER", 275, []int{8, 12}}, {"DOORSTOP", 425, []int{4}},
	{"GARLAND", 165, []int{12}}, {"BUNTING", 295, []int{6, 12}}, {"DECORATION", 85, []int{12, 24}},
	{"FRAME", 255, []int{4, 12}}, {"PHOTO ALBUM", 395, []int{4}}, {"APRON", 495, []int{3, 6}},
	{"OVEN GLOVE", 165, []int{10}}, {"TEA TOWEL", 125, []int{6, 12}}, {"PARASOL", 295, []int{6}},
	{"UMBRELLA", 595, []int{3, 1}}, {"DOLL", 495, []int{4, 6}}, {"PLAYHOUSE", 1275, []int{2, 1}},
	{"WATER BOTTLE", 395, []int{4, 8}}, {"BIRD ORNAMENT", 85, []int{12, 24}}, {"JAM JAR", 85, []int{12}},
	{"RECIPE BOX", 295, []int{6}}, {"CHALKBOARD", 495, []int{2, 4}}, {"PICNIC BASKET", 495, []int{4}},
	{"CAKESTAND", 995, []int{2, 1}}, {"WALL ART", 595, []int{2}}, {"MIRROR", 295, []int{6}},
}

// commaDescriptions are descriptions of the "THING, DETAIL" kind that the real files quote.
var commaDescriptions = []string{
	"TRAY, BREAKFAST IN BED", "SWISS ROLL TOWEL, CHOCOLATE  SPOTS", "AIRLINE LOUNGE,METAL SIGN",
	"FANCY FONT BIRTHDAY CARD, ", "SET/4 BADGES, CUTE CREATURES", "PAPER LANTERN 9 POINT SNOW STAR, ",
	"CHILDS GARDEN TROWEL, PINK", "SET OF 6 TEA TIME BAKING CASES, ", "WRAP, CAROUSEL", "CANDLEHOLDER PINK HANGING HEART, ",
}

// quoteDescriptions contain double quotes, which the CSV escapes by doubling.
var quoteDescriptions = []string{
	`RECORD FRAME 7" SINGLE SIZE `, `SET OF 4 6" ROUND PLATES`, `CAKE PLATE 10" LOVEBIRD`,
}
